// filelog → mesh_parse → encrypt → file exporter in one process (the Agent, as the data-path test
// runs it), on JSON access lines carrying seeded secrets in headers, the query and the user id. An
// optional `plain` pipeline writes the same records without encrypt: the reference a round trip
// must give back. `encryptedFile` adds options to the encrypted output's file exporter (sealed
// lines, rotation).
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Agent } from '../../agent/agent.ts';
import { Registry } from '../../agent/registry.ts';
import { fileFactory } from '../../exporters/file/factory.ts';
import { DEFAULT_ENCRYPT_FIELDS } from '../../processors/encrypt/config.ts';
import { encryptFactory } from '../../processors/encrypt/factory.ts';
import { meshParseFactory } from '../../processors/mesh_parse/factory.ts';
import { filelogFactory } from '../../receivers/filelog/factory.ts';
import { agentConfig } from './agent-config.ts';

export interface EncryptPipeline {
  agent: Agent;
  logFile: string;
  dataDir: string;
  encrypted: string;
  plain?: string;
}

export function startEncryptPipeline(
  dir: string,
  keyring: string,
  withPlain: boolean,
  encryptedFile: Record<string, unknown> = {},
): EncryptPipeline {
  const registry = new Registry([filelogFactory, meshParseFactory, encryptFactory, fileFactory]);
  const podDir = join(dir, 'logs', 'pods', 'shop_orders-7d9f_uid-1', 'istio-proxy');
  mkdirSync(podDir, { recursive: true });
  const logFile = join(podDir, '0.log');
  appendFileSync(logFile, '');
  const dataDir = join(dir, 'state');
  const encrypted = join(dir, 'out', 'encrypted.jsonl');
  const plain = join(dir, 'out', 'plain.jsonl');
  const pipelines: Record<string, unknown> = {
    'logs/encrypted': {
      receivers: ['filelog'],
      processors: ['mesh_parse', 'encrypt'],
      exporters: ['file/encrypted'],
    },
  };
  const exporters: Record<string, unknown> = { 'file/encrypted': { ...encryptedFile, path: encrypted } };
  if (withPlain) {
    pipelines['logs/plain'] = {
      receivers: ['filelog'],
      processors: ['mesh_parse'],
      exporters: ['file/plain'],
    };
    exporters['file/plain'] = { path: plain };
  }
  const config = agentConfig(registry, {
    receivers: {
      filelog: {
        include: [`${dir}/logs/**/*.log`],
        start_at: 'beginning',
        poll_interval: '20ms',
        checkpoint_interval: '50ms',
      },
    },
    processors: {
      mesh_parse: { user_id: { from: [{ header: 'x-user-id' }] } },
      encrypt: {
        keyring,
        poll_interval: '20ms',
        fields: [...DEFAULT_ENCRYPT_FIELDS, 'http.request.header.x-user-id'],
      },
    },
    exporters,
    service: { data_dir: dataDir, workers: { threads: 2 }, pipelines },
  });
  const agent = new Agent(config, registry, { logger: pino({ level: 'silent' }) });
  return { agent, logFile, dataDir, encrypted, ...(withPlain ? { plain } : {}) };
}

/** A JSON access line whose authorization, cookie, query and user id carry `seed`. */
export function seededLine(i: number, seed: string): string {
  return JSON.stringify({
    start_time: new Date(Date.UTC(2024, 10, 5, 10, 0, 0, i)).toISOString(),
    method: i % 3 === 0 ? 'POST' : 'GET',
    path: `/api/orders/${i}?token=${seed}&page=${i % 7}`,
    protocol: 'HTTP/1.1',
    response_code: i % 11 === 0 ? 503 : 200,
    duration: i % 50,
    authority: 'orders:8080',
    x_forwarded_for: `203.0.113.${i % 250}`,
    'x-user-id': `user-${i % 17}@example.com`,
    authorization: `Bearer ${seed}`,
    cookie: `session=${seed}`,
    request_id: `req-${i}`,
    upstream_cluster: 'outbound|8080||orders.shop.svc.cluster.local',
    downstream_remote_address: `10.1.0.${i % 200}:51000`,
  });
}

/** A line with nothing to seal: a proxy's own log line. */
export function quietLine(i: number): string {
  return `2024-11-05T10:00:00.${String(i % 1000).padStart(3, '0')}Z\tinfo\tads\tADS: push ${i} for 3 proxies`;
}

/** Log records in an OTLP/JSON-lines file (0 when it does not exist yet). */
export function countRecords(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  let n = 0;
  // Only whole lines: the writer (meshtail's file exporter, the Collector) may be mid-line.
  for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
    if (line === '') continue;
    for (const rl of JSON.parse(line).resourceLogs ?? [])
      for (const sl of rl.scopeLogs ?? []) n += sl.logRecords?.length ?? 0;
  }
  return n;
}

export async function until(cond: () => boolean, ms = 30_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
}
