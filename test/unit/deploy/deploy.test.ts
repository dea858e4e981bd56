// deploy/: the kustomize base and the Helm chart render, decode strictly against the Kubernetes API
// types (scripts/k8s-strict-check, k8s.io/api v0.37.2), and hold the secure example's rules
// (deploy-policy.ts), which the files before this change broke. Helm v4.3.2 and the checker are built
// by scripts/build-*.sh, cached under ~/.cache/meshtail.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigText } from '../../../agent/config/load-config.ts';
import { defaultRegistry } from '../../../agent/default-registry.ts';
import { documents, violations } from './deploy-policy.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHART = join(ROOT, 'deploy/helm/meshtail');
const KUSTOMIZE = join(ROOT, 'deploy/kubernetes');
// deploy/kubernetes as it was before the hardening (the commit this work started from).
const BEFORE = 'eba9000';

let helm = '';
let checker = '';
beforeAll(() => {
  const build = (name: string) =>
    execFileSync('bash', [join(ROOT, `scripts/build-${name}.sh`)], {
      encoding: 'utf8',
      timeout: 900_000,
    }).trim();
  helm = build('helm');
  checker = build('k8s-strict-check');
}, 900_000);

function render(...set: string[]): string {
  const args = [
    'template',
    'meshtail',
    CHART,
    '--namespace',
    'meshtail',
    ...set.flatMap((s) => ['--set', s]),
  ];
  return execFileSync(helm, args, { encoding: 'utf8' });
}
function strict(text: string) {
  return spawnSync(checker, [], { input: text, encoding: 'utf8' });
}
const kustomizeFiles = () =>
  (parse(readFileSync(join(KUSTOMIZE, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources;
const kustomize = () =>
  kustomizeFiles()
    .map((f) => readFileSync(join(KUSTOMIZE, f), 'utf8'))
    .join('\n---\n');

const TOGGLES = [
  'serviceMonitor.enabled=true',
  'prometheusRule.enabled=true',
  'dashboards.enabled=true',
  'presets.kubernetesMetadata.resolveReplicaSets=true',
];

describe('the Helm chart', () => {
  it('passes helm lint', () => {
    const r = spawnSync(helm, ['lint', CHART, '--strict'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  it.each([
    ['default values', []],
    ['every toggle on', TOGGLES],
    ['no presets', ['presets.meshLogs.enabled=false', 'presets.kubernetesMetadata.enabled=false']],
  ])('renders with %s, every document decodes strictly', (_name, set) => {
    const text = render(...set);
    const r = strict(text);
    expect(r.stdout, r.stderr).not.toContain('FAIL');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ok ')).length).toBe(documents(text).length);
  });

  it('renders the ServiceMonitor, PrometheusRule and dashboard ConfigMap only when toggled', () => {
    const kinds = (t: string) => documents(t).map((d) => `${d.kind}/${d.metadata.name}`);
    expect(kinds(render())).not.toContain('ServiceMonitor/meshtail');
    const on = documents(render(...TOGGLES));
    expect(on.map((d) => d.kind)).toEqual(
      expect.arrayContaining(['ServiceMonitor', 'PrometheusRule', 'Service']),
    );
    const dash = on.find((d) => d.kind === 'ConfigMap' && d.metadata.name.includes('dashboard'));
    expect(dash?.metadata.labels.grafana_dashboard).toBe('1');
    expect(JSON.parse(dash?.data['meshtail.json']).uid).toBe('meshtail-overview');
    const rule = on.find((d) => d.kind === 'PrometheusRule');
    expect(rule?.spec).toEqual(parse(readFileSync(join(ROOT, 'deploy/alerts/meshtail.rules.yaml'), 'utf8')));
  });

  it.each([
    ['default values', []],
    ['every toggle on', TOGGLES],
    ['no presets', ['presets.kubernetesMetadata.enabled=false']],
  ])("renders a pipeline meshtail's loader accepts (%s)", (_name, set) => {
    const cm = documents(render(...set)).find((d) => d.kind === 'ConfigMap' && d.data['config.yaml']);
    const etc = mkdtempSync(join(tmpdir(), 'meshtail-chart-'));
    try {
      writeFileSync(join(etc, 'policy.yaml'), cm?.data['policy.yaml']);
      mkdirSync(join(etc, 'secrets'));
      writeFileSync(join(etc, 'secrets/redact-hash-key'), 'a-test-key-of-32-characters-long');
      const text = String(cm?.data['config.yaml']).replaceAll('/etc/meshtail/', `${etc}/`);
      const result = loadConfigText(text, 'config.yaml', defaultRegistry, {
        env: { K8S_NODE_NAME: 'node-a' },
      });
      expect(result.ok ? [] : result.errors).toEqual([]);
    } finally {
      rmSync(etc, { recursive: true, force: true });
    }
  });

  it('rolls the pods when the pipeline changes (checksum/config)', () => {
    const sum = (t: string) =>
      documents(t).find((d) => d.kind === 'DaemonSet')?.spec.template.metadata.annotations['checksum/config'];
    const a = sum(render());
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(sum(render())).toBe(a);
    expect(sum(render('config.exporters.otlp_grpc/gateway.endpoint=other:4317'))).not.toBe(a);
  });

  it('takes the pipeline, image and scheduling from values', () => {
    const docs = documents(
      render(
        'image.digest=',
        'image.tag=9.9.9',
        'priorityClassName=low',
        'presets.meshLogs.containers={istio-proxy,linkerd-proxy}',
      ),
    );
    const pod = docs.find((d) => d.kind === 'DaemonSet')?.spec.template.spec;
    expect(pod.containers[0].image).toBe('ghcr.io/meshtail/meshtail:9.9.9');
    expect(pod.priorityClassName).toBe('low');
    const config = parse(docs.find((d) => d.kind === 'ConfigMap')?.data['config.yaml']);
    expect(config.receivers['filelog/mesh'].include).toEqual([
      '/var/log/pods/*/istio-proxy/*.log',
      '/var/log/pods/*/linkerd-proxy/*.log',
    ]);
    expect(config.service.pipelines.logs.receivers).toEqual(['filelog/mesh']);
  });
});

describe('the strict checker', () => {
  it('rejects a misspelt field, naming it', () => {
    const text = render().replace('imagePullPolicy: IfNotPresent', 'imagePullPolicyy: IfNotPresent');
    const r = strict(text);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL .*DaemonSet .*unknown field "spec\.template\.spec\.(initContainers|containers)\[0\]\.imagePullPolicyy"/,
    );
  });

  it('rejects a wrong type, a duplicated field and an unknown field of a ServiceMonitor', () => {
    const base = render(...TOGGLES);
    expect(
      strict(base.replace('terminationGracePeriodSeconds: 40', 'terminationGracePeriodSeconds: forty'))
        .status,
    ).toBe(1);
    expect(
      strict(
        base.replace(
          'terminationGracePeriodSeconds: 40',
          'terminationGracePeriodSeconds: 40\n      terminationGracePeriodSeconds: 41',
        ),
      ).status,
    ).toBe(1);
    const sm = strict(base.replace('bearerTokenFile:', 'bearerTokenFil:'));
    expect(sm.status).toBe(1);
    expect(sm.stdout).toMatch(/FAIL .*ServiceMonitor .*bearerTokenFil/);
  });
});

describe('deploy/kubernetes (the kustomize base)', () => {
  it('decodes strictly', () => {
    const r = strict(kustomize());
    expect(r.stdout).not.toContain('FAIL');
    expect(r.status).toBe(0);
  });
});

describe('deploy/ is the secure example (issue 20, point 10)', () => {
  it.each([
    ['the kustomize base', () => kustomize()],
    ['the chart, default values', () => render()],
    ['the chart, every toggle on', () => render(...TOGGLES)],
  ])('%s holds every rule', (_name, text) => {
    expect(violations(documents(text()))).toEqual([]);
  });

  it('the base as it was before broke each rule', () => {
    const old = kustomizeFiles()
      .map(
        (f) =>
          spawnSync('git', ['show', `${BEFORE}:deploy/kubernetes/${f}`], { cwd: ROOT, encoding: 'utf8' })
            .stdout,
      )
      .join('\n---\n');
    const found = violations(documents(old)).join('\n');
    for (const broken of [
      /meshtail: uid 0 with DAC_READ_SEARCH/,
      /meshtail: image not pinned by digest/,
      /port 8888 \(\/metrics\) exposed/,
      /tolerations: Exists without a key/,
      /\/metrics on 0\.0\.0\.0:8888, not loopback/,
      /otlp_grpc\/gateway: no TLS/,
      /pipeline logs: no rbac/,
      /pipeline logs: no redact/,
      /pipeline logs: no encrypt/,
      /k8s_metadata: watches every pod of the cluster/,
      /ClusterRole: \/namespaces:get,list,watch is more than the pipeline needs/,
      /ServiceAccount: token automounted for every pod/,
    ]) {
      expect(found).toMatch(broken);
    }
  });
});

describe('alert rules and dashboards', () => {
  it('promtool check rules and promtool test rules pass', () => {
    const dir = join(ROOT, 'deploy/alerts');
    const check = spawnSync('promtool', ['check', 'rules', 'meshtail.rules.yaml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(check.stdout + check.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', 'meshtail.rules.test.yaml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(test.stdout + test.stderr).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('promtool test rules fails when an alert does not behave as its test says', () => {
    const dir = join(ROOT, 'deploy/alerts');
    const rules = readFileSync(join(dir, 'meshtail.rules.yaml'), 'utf8').replace('> 0.8', '> 0.99');
    const tmp = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    execFileSync(
      'sh',
      ['-c', `cat > ${tmp}/meshtail.rules.yaml && cp ${dir}/meshtail.rules.test.yaml ${tmp}/`],
      { input: rules },
    );
    const r = spawnSync('promtool', ['test', 'rules', 'meshtail.rules.test.yaml'], {
      cwd: tmp,
      encoding: 'utf8',
    });
    execFileSync('rm', ['-rf', tmp]);
    expect(r.status).toBe(1);
  });

  it('the chart carries the same rules and dashboards as deploy/', () => {
    expect(readFileSync(join(CHART, 'files/meshtail.rules.yaml'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'deploy/alerts/meshtail.rules.yaml'), 'utf8'),
    );
    const dashboards = readdirSync(join(ROOT, 'deploy/dashboards'));
    expect(readdirSync(join(CHART, 'dashboards'))).toEqual(dashboards);
    for (const f of dashboards)
      expect(readFileSync(join(CHART, 'dashboards', f), 'utf8')).toBe(
        readFileSync(join(ROOT, 'deploy/dashboards', f), 'utf8'),
      );
  });
});
