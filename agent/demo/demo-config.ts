// The demo's pipeline, written as a user would write it in the Collector's shape and loaded through
// the same loader as `meshtail run`, so the demo exercises config validation too.
import { join } from 'node:path';
import { loadConfigText } from '../config/load-config.ts';
import type { AgentConfig } from '../config/types.ts';
import { defaultRegistry } from '../default-registry.ts';
import { formatConfigError } from '../kit/config/config-error.ts';
import { ISTIO_AUDIT_FORMAT } from './access-log-line.ts';

export const OTLP_ENDPOINT_ENV = 'MESHTAIL_DEMO_OTLP_ENDPOINT';

export interface DemoPaths {
  /** Glob of the simulated pods' logs, rotated ones included (MeshSimulator.include). */
  include: string;
  exportFile: string;
  dataDir: string;
}

export function demoPaths(root: string, include: string): DemoPaths {
  return { include, exportFile: join(root, 'export.jsonl'), dataDir: join(root, 'data') };
}

/** The demo's access policy (docs/access-control.md), inline so the demo needs no file. */
export const DEMO_POLICY = `roles:
  sre: { description: Every record }
  security: { description: Denials and auth failures }
  "team:bookinfo": { description: The bookinfo team }
  manager: { description: Aggregates only, tenant: management }
rules:
  - name: bookinfo-denials
    match: { namespace: default, status: [403] }
    tenant: bookinfo
    classification: confidential
    audience: [security, sre]
  - name: bookinfo
    match: { namespace: default }
    tenant: bookinfo
    audience: [sre, "team:bookinfo"]
    aggregate_audience: [manager]
default: { tenant: platform, classification: internal, audience: [sre] }
`;

/** Not a secret: the demo's fixed HMAC key, so a client IP's pseudonym is the same on every run. */
export const DEMO_HASH_KEY = 'meshtail-demo-hash-key-not-secret';

/** JSON strings are valid YAML scalars: paths with any characters stay one value. */
const q = (s: string): string => JSON.stringify(s);

export function demoConfigText(paths: DemoPaths, env: NodeJS.ProcessEnv): string {
  const otlp = env[OTLP_ENDPOINT_ENV] !== undefined;
  return `receivers:
  filelog/istio:
    include: [${q(paths.include)}]
    start_at: beginning
    format: cri
    poll_interval: 100ms
processors:
  # The simulated sidecars log docs/mesh-logs.md's recommended format (peer identities, the user's
  # verified JWT claims, the trace), declared here as a user would; the claims header becomes
  # user.id and is removed from the attributes. k8s_metadata is left out: it needs a Kubernetes API
  # server, which the demo does not have; mesh_parse names the local side from the file's pod.
  mesh_parse:
    formats:
      - name: istio_audit
        format: ${q(ISTIO_AUDIT_FORMAT)}
    user_id:
      from:
        - { jwt_claims_header: x-jwt-payload, claim: sub }
  # Who may read each request: tenants by namespace (bookinfo's workloads run in default, the
  # ingress gateway in istio-system), denials confidential for the security team; managers get
  # bookinfo's aggregates only (counts, errors, latency per call path) in their own tenant.
  rbac:
    policy_inline: ${q(DEMO_POLICY)}
  # Credentials and personal data masked before anything leaves: \`?access_token=…\` becomes
  # [REDACTED:query_secret], client IPs keyed pseudonyms. A fixed demo key keeps pseudonyms stable.
  redact:
    hash_key: ${q(DEMO_HASH_KEY)}
    hash_key_id: demo
  # Anomalies at the demo's scale: 1-second buckets (~300 lines/s in all), so the traffic burst
  # (4x, 3 s) and the RBAC denial storm (3 s) each fire within a run of 15 s; the pods' history
  # (about a minute and a half of event time) fills the baselines during the backfill.
  anomaly:
    bucket: 1s
    allowed_lateness: 2s
    detectors: [burst, access_denied]
    fire_after: 2
    resolve_after: 2
    floors: { requests: 20, denials: 10 }
  attributes/demo:
    actions:
      - { key: deployment.environment, action: upsert, value: demo }
exporters:
  file/demo:
    path: ${q(paths.exportFile)}
${
  otlp
    ? `  otlp_grpc/demo:
    endpoint: \${env:${OTLP_ENDPOINT_ENV}}
    tls: { insecure: true }
`
    : ''
}service:
  data_dir: ${q(paths.dataDir)}
  shutdown_timeout: 15s
  telemetry:
    metrics: { address: 127.0.0.1:0 }
    logs: { level: warn }
  pipelines:
    logs:
      receivers: [filelog/istio]
      processors: [mesh_parse, rbac, redact, anomaly, attributes/demo]
      exporters: [file/demo${otlp ? ', otlp_grpc/demo' : ''}]
`;
}

export function loadDemoConfig(paths: DemoPaths, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const loaded = loadConfigText(demoConfigText(paths, env), '<demo>', defaultRegistry, { env });
  if (!loaded.ok) {
    // The embedded config is ours: an error here is a bug, reported with its line in the text.
    throw new Error(`demo config is invalid:\n${loaded.errors.map(formatConfigError).join('\n')}`);
  }
  return loaded.config;
}
