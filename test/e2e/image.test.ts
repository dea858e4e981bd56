// The OCI image as a cluster would run it, without a container daemon: `npm run image` builds
// dist/meshtail-oci.tar (cached: rebuilt only when its inputs change), the test follows the archive
// the way a runtime does (index.json → manifest → config and layers), unpacks the layers into a root
// directory and runs the entrypoint there with chroot as the image's user: --version, then a short
// pipeline (CRI-framed Istio lines from a file → mesh_parse → file exporter in the state directory).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'meshtail-image-'));
const rootfs = join(dir, 'rootfs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}
interface ImageConfig {
  config: { User: string; Entrypoint: string[]; Cmd: string[]; Env: string[] };
  rootfs: { diff_ids: string[] };
}

interface OtlpRecord {
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}
interface OtlpLogs {
  resourceLogs: Array<{ scopeLogs: Array<{ logRecords: OtlpRecord[] }> }>;
}

let archive = '';
let config: ImageConfig;
let manifestDigest = '';
const blob = (digest: string) =>
  readFileSync(join(dir, 'oci', 'blobs/sha256', digest.slice('sha256:'.length)));
const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

beforeAll(() => {
  const build = spawnSync('bash', [join(ROOT, 'scripts/image/build.sh')], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  expect(build.status, build.stderr).toBe(0);
  archive = build.stdout.trim().split('\n').at(-1) ?? '';
  mkdirSync(join(dir, 'oci'));
  mkdirSync(rootfs);
  expect(spawnSync('tar', ['-xf', archive, '-C', join(dir, 'oci')]).status).toBe(0);
}, 600_000);

describe('the archive', () => {
  it('is an OCI layout whose index leads to a manifest, a config and layers, all matching their digests', () => {
    expect(JSON.parse(readFileSync(join(dir, 'oci/oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    const index = JSON.parse(readFileSync(join(dir, 'oci/index.json'), 'utf8')) as {
      manifests: Descriptor[];
    };
    expect(index.manifests).toHaveLength(1);
    const [m] = index.manifests as [Descriptor];
    manifestDigest = m.digest;
    const manifestBytes = blob(m.digest);
    expect(sha256(manifestBytes)).toBe(m.digest);
    expect(manifestBytes.length).toBe(m.size);
    const manifest = JSON.parse(manifestBytes.toString()) as { config: Descriptor; layers: Descriptor[] };
    const configBytes = blob(manifest.config.digest);
    expect(sha256(configBytes)).toBe(manifest.config.digest);
    config = JSON.parse(configBytes.toString()) as ImageConfig;
    expect(manifest.layers.length).toBe(config.rootfs.diff_ids.length);
    for (const layer of manifest.layers) {
      const bytes = blob(layer.digest);
      expect(sha256(bytes)).toBe(layer.digest);
      expect(layer.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
      const untar = spawnSync('tar', ['--numeric-owner', '-xzf', '-', '-C', rootfs], { input: bytes });
      expect(untar.status, untar.stderr.toString()).toBe(0);
    }
    // docker load reads manifest.json: it must name the same config and layers.
    const docker = JSON.parse(readFileSync(join(dir, 'oci/manifest.json'), 'utf8')) as Array<{
      Config: string;
      Layers: string[];
      RepoTags: string[];
    }>;
    const path = (d: Descriptor) => `blobs/sha256/${d.digest.slice('sha256:'.length)}`;
    expect(docker[0]?.Config).toBe(path(manifest.config));
    expect(docker[0]?.Layers).toEqual(manifest.layers.map(path));
    console.log(`image: ${statSync(archive).size} bytes, manifest ${manifestDigest}`);
  });

  it('runs as the non-root user 65532 with the meshtail entrypoint', () => {
    expect(config.config.User).toBe('65532:65532');
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/meshtail']);
    expect(readFileSync(join(rootfs, 'etc/passwd'), 'utf8')).toMatch(/^meshtail:x:65532:65532:/m);
    const state = statSync(join(rootfs, 'var/lib/meshtail'));
    expect([state.uid, state.gid, state.mode & 0o777]).toEqual([65532, 65532, 0o700]);
    // Production dependencies only: no test runner, compiler or linter in the image.
    for (const dev of ['vitest', 'typescript', '@biomejs', 'node']) {
      expect(existsSync(join(rootfs, 'app/node_modules', dev)), dev).toBe(false);
    }
    expect(existsSync(join(rootfs, 'app/node_modules/pino'))).toBe(true);
    expect(existsSync(join(rootfs, 'app/test'))).toBe(false);
  });
});

/**
 * argv that runs the entrypoint in the unpacked image as its user, the way a runtime would: its own
 * mount and PID namespaces with /proc mounted (Node finds its binary there), chrooted, as the image's
 * user. As root directly; otherwise in a user namespace that maps the caller to root.
 */
function inImage(args: string[]): [string, string[]] {
  const [user] = config.config.User.split(':');
  const ns = ['--mount', '--pid', '--fork', `--mount-proc=${join(rootfs, 'proc')}`];
  const chroot = [
    hostBinary('chroot'),
    `--userspec=${user}:${user}`,
    rootfs,
    ...config.config.Entrypoint,
    ...args,
  ];
  return [hostBinary('unshare'), [...(process.getuid?.() === 0 ? [] : ['-r']), ...ns, ...chroot]];
}

/** A host tool's absolute path: the child's PATH is the image's, not the host's. */
function hostBinary(name: string): string {
  const path = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  expect(path, `${name} on the host`).toMatch(/^\//);
  return path;
}

/** The image's environment only, not the test's (NODE_OPTIONS, NODE_EXTRA_CA_CERTS...). */
function imageEnv(): Record<string, string> {
  return Object.fromEntries(
    config.config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
}

describe('the entrypoint', () => {
  it('answers --version with the package version', () => {
    const [cmd, args] = inImage(['--version']);
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000, env: imageEnv() });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`meshtail ${pkg.version}\n`);
    expect(r.status).toBe(0);
  });

  it('runs a pipeline: Istio lines from a file, parsed, written by the file exporter', async () => {
    const podLogs = join(rootfs, 'var/log/pods/default_web-1_0a1b/istio-proxy');
    mkdirSync(podLogs, { recursive: true });
    const paths = ['/ratings/7', '/reviews/0', '/details/3'];
    const codes = [200, 503, 404];
    const lines = paths.map(
      (path, i) =>
        `2026-12-07T10:00:0${i}.000000000Z stdout F [2026-12-07T10:00:0${i}.000Z] "GET ${path} HTTP/1.1" ${codes[i]} - via_upstream - "-" 0 178 2 1 "-" "curl/8" "req-${i}" "web:9080" "10.0.0.9:9080" inbound|9080|| 127.0.0.6:47889 10.0.0.9:9080 10.0.0.7:39696 - default`,
    );
    writeFileSync(join(podLogs, '0.log'), `${lines.join('\n')}\n`);
    chmodSync(join(podLogs, '0.log'), 0o644);
    writeFileSync(
      join(rootfs, 'etc/meshtail/config.yaml'),
      `receivers:
  filelog: { include: [/var/log/pods/*/istio-proxy/*.log], start_at: beginning }
processors:
  mesh_parse: {}
exporters:
  file: { path: /var/lib/meshtail/out.jsonl }
service:
  telemetry: { metrics: { address: null } }
  pipelines:
    logs: { receivers: [filelog], processors: [mesh_parse], exporters: [file] }
`,
    );
    const [cmd, args] = inImage(['run', '-c', '/etc/meshtail/config.yaml']);
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: imageEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const out = join(rootfs, 'var/lib/meshtail/out.jsonl');
    // Complete lines only: the exporter may be mid-write.
    const records = (): OtlpRecord[] =>
      (existsSync(out) ? readFileSync(out, 'utf8').split('\n').slice(0, -1) : []).flatMap((l) =>
        (JSON.parse(l) as OtlpLogs).resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords)),
      );
    const end = Date.now() + 60_000;
    while (records().length < lines.length && Date.now() < end && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    // unshare does not forward signals: SIGTERM goes to the agent itself (PID 1 of its namespace,
    // which takes it since Node handles SIGTERM), and unshare exits with its status.
    const agent = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim());
    expect(agent).toBeGreaterThan(0);
    process.kill(agent, 'SIGTERM');
    const timer = setTimeout(() => process.kill(agent, 'SIGKILL'), 40_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code, stderr).toBe(0);
    const got = records();
    const attr = (r: OtlpRecord, key: string) => {
      const v = r.attributes.find((a) => a.key === key)?.value;
      return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
    };
    expect(got.map((r) => attr(r, 'url.path')).sort()).toEqual([...paths].sort());
    expect(got.map((r) => attr(r, 'http.response.status_code')).sort()).toEqual([...codes].sort());
    // Written by the image's user, in its own state directory.
    expect(statSync(out).uid).toBe(65532);
  }, 90_000);
});
