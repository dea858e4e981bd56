// k8s-strict-check decodes every document of the given YAML files (or stdin) strictly against the
// Kubernetes API types: an unknown or duplicated field is an error, not silently dropped as kubectl
// apply without server-side validation would. Built-in kinds go through apimachinery's strict
// deserializer; the Prometheus Operator's CRDs (ServiceMonitor, PrometheusRule) through the typed
// structs in crds.go with sigs.k8s.io/yaml's UnmarshalStrict. Prints one "ok KIND NAME" line per
// document; exits 1 naming each document that fails.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, rbacv1.AddToScheme, policyv1.AddToScheme,
		schedulingv1.AddToScheme, networkingv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			fail(err)
		}
	}
	strict := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme,
		json.SerializerOptions{Yaml: true, Strict: true})

	inputs := os.Args[1:]
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	failed, count := 0, 0
	for _, name := range inputs {
		var r io.Reader = os.Stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fail(err)
			}
			defer f.Close()
			r = f
		}
		docs := utilyaml.NewYAMLReader(bufio.NewReader(r))
		for i := 1; ; i++ {
			doc, err := docs.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				fail(fmt.Errorf("%s: document %d: %w", name, i, err))
			}
			if len(bytes.TrimSpace(stripComments(doc))) == 0 {
				continue
			}
			count++
			kind, err := check(strict, doc)
			if err != nil {
				failed++
				fmt.Printf("FAIL %s document %d %s: %v\n", name, i, kind, err)
				continue
			}
			fmt.Printf("ok %s\n", kind)
		}
	}
	if count == 0 {
		fail(fmt.Errorf("no documents"))
	}
	if failed > 0 {
		fmt.Printf("%d of %d documents failed strict decoding\n", failed, count)
		os.Exit(1)
	}
}

// check decodes one document and returns "KIND NAMESPACE/NAME" for the report.
func check(strict *json.Serializer, doc []byte) (string, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		return "?", err
	}
	label := fmt.Sprintf("%s %s/%s", head.Kind, head.Metadata.Namespace, head.Metadata.Name)
	if head.Metadata.Name == "" {
		return label, fmt.Errorf("metadata.name is empty")
	}
	if crd, ok := customKinds[head.APIVersion+" "+head.Kind]; ok {
		return label, yaml.UnmarshalStrict(doc, crd())
	}
	_, _, err := strict.Decode(doc, nil, nil)
	// In strict mode the decoder still returns the object, with a strict-decoding error naming every
	// unknown or duplicate field: that error is the point of this tool.
	return label, err
}

func stripComments(doc []byte) []byte {
	var out []string
	for _, line := range strings.Split(string(doc), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			out = append(out, line)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "k8s-strict-check:", err)
	os.Exit(2)
}
