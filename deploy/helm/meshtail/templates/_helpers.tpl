{{- define "meshtail.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "meshtail.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "meshtail.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "meshtail.image" -}}
{{- if .Values.image.digest -}}{{ .Values.image.repository }}@{{ .Values.image.digest }}{{- else -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}
{{- end -}}

{{/* The pipeline: what the presets add, under the user's `config`. */}}
{{- define "meshtail.config" -}}
{{- $preset := dict -}}
{{- $receivers := list -}}
{{- if .Values.presets.meshLogs.enabled -}}
{{- $include := list -}}
{{- range .Values.presets.meshLogs.containers -}}{{- $include = append $include (printf "/var/log/pods/*/%s/*.log" .) -}}{{- end -}}
{{- $_ := set $preset "receivers" (dict "filelog/mesh" (dict "include" $include "start_at" "end")) -}}
{{- $receivers = append $receivers "filelog/mesh" -}}
{{- end -}}
{{- if .Values.presets.kubernetesMetadata.enabled -}}
{{- $_ := set $preset "processors" (dict "k8s_metadata" (dict "node_name" "${env:K8S_NODE_NAME}" "peers" "node" "resolve_replicasets" .Values.presets.kubernetesMetadata.resolveReplicaSets "extract" (dict "labels" (list "app" "version")))) -}}
{{- end -}}
{{- $_ := set $preset "service" (dict "pipelines" (dict "logs" (dict "receivers" $receivers))) -}}
{{- $config := mergeOverwrite $preset (deepCopy .Values.config) -}}
{{- $procs := list -}}
{{- range (index $config.service.pipelines "logs").processors -}}
{{- if or (ne . "k8s_metadata") $.Values.presets.kubernetesMetadata.enabled -}}{{- $procs = append $procs . -}}{{- end -}}
{{- end -}}
{{- $_ := set (index $config.service.pipelines "logs") "processors" $procs -}}
{{- toYaml $config -}}
{{- end -}}

{{- define "meshtail.probe" -}}
exec:
  command:
    - /usr/local/bin/node
    - -e
    - "fetch('http://127.0.0.1:8888/{{ . }}').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
{{- end -}}
