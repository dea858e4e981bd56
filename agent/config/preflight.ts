// What `run` would find wrong only when it starts, checked when the config is loaded so `validate`
// reports it too: TLS files exist and parse (PEM certificate, private key), keyring directories
// load with an active key, addresses parse as host:port or URL. (The rbac policy file is read and
// validated by its schema already.) Errors point at the option; they name paths, never contents.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConfigError } from '../kit/config/config-error.ts';
import type { ConfigPath, YamlSource } from '../kit/config/yaml-source.ts';
import { keyringState, loadKeyring } from '../kit/keyring/keyring.ts';
import type { ServiceConfig } from './service.ts';
import type { AgentConfig } from './types.ts';

type Check = (value: string) => string | undefined;

const CHECKS: Record<string, Check> = {
  ca_file: (path) => readPem(path, 'a PEM certificate', (b) => new X509Certificate(b)),
  cert_file: (path) => readPem(path, 'a PEM certificate', (b) => new X509Certificate(b)),
  key_file: (path) => readPem(path, 'a PEM private key', (b) => createPrivateKey(b)),
  keyring: (dir) => {
    const loaded = loadKeyring(dir);
    if (!loaded.ok) return loaded.reason;
    const state = keyringState(loaded.keyring);
    return state.ok ? undefined : state.reason;
  },
  endpoint: (v) => (v.includes('://') ? checkUrl(v) : checkHostPort(v)),
};

export function preflight(config: AgentConfig, source: YamlSource): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (path: ConfigPath, message: string) => {
    const found = source.nearest(source.doc.contents, path);
    errors.push(source.errorAt(found.value ?? found.key, message));
  };
  for (const [section, map] of [
    ['receivers', config.receivers],
    ['processors', config.processors],
    ['exporters', config.exporters],
  ] as const) {
    for (const [id, c] of map) walk(c.config, [section, id], at);
  }
  checkService(config.service, at);
  return errors;
}

function walk(value: unknown, path: PropertyKey[], at: (path: ConfigPath, message: string) => void): void {
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const check = CHECKS[k];
    if (check && typeof v === 'string' && v !== '') {
      const problem = check(v);
      if (problem) at([...path, k], `${k}: ${problem}`);
    } else if (v && typeof v === 'object' && k !== 'document') {
      walk(v, [...path, k], at);
    }
  }
}

function checkService(s: ServiceConfig, at: (path: ConfigPath, message: string) => void): void {
  const address = s.telemetry.metrics.address;
  const problem = address ? checkHostPort(address) : undefined;
  if (problem) at(['service', 'telemetry', 'metrics', 'address'], `address: ${problem}`);
  const traces = s.telemetry.traces?.endpoint;
  const tracesProblem = traces ? CHECKS.endpoint!(traces) : undefined;
  if (tracesProblem) at(['service', 'telemetry', 'traces', 'endpoint'], `endpoint: ${tracesProblem}`);
}

function readPem(path: string, what: string, parse: (b: Buffer) => unknown): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  try {
    parse(bytes);
    return undefined;
  } catch {
    return `${path} does not hold ${what}`;
  }
}

/** host:port with a port in 1..65535 (0 too: pick a free one); IPv6 hosts in brackets. */
export function checkHostPort(v: string): string | undefined {
  const m = /^(?:https?:\/\/)?(\[[0-9A-Fa-f:.]+\]|[^:/\s[\]]*):(\d+)\/?$/.exec(v);
  if (!m) return `"${v}" is not host:port`;
  const port = Number(m[2]);
  return port > 65535 ? `port ${port} is out of range` : undefined;
}

function checkUrl(v: string): string | undefined {
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `"${v}" is not an http(s) URL`;
    if (u.port && Number(u.port) > 65535) return `port ${u.port} is out of range`;
    return undefined;
  } catch {
    return `"${v}" is not a URL`;
  }
}
