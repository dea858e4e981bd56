// A node sealing per tenant: filelog → mesh_parse → rbac (acme's paths to tenant acme, the rest to
// globex) → encrypt → file exporter with sealed lines, both on one per-tenant keyring. Its files
// (keyring, data_dir, the config as YAML) all live under `node/`, as they would on a node.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { Agent } from '../../agent/agent.ts';
import { Registry } from '../../agent/registry.ts';
import { fileFactory } from '../../exporters/file/factory.ts';
import { DEFAULT_ENCRYPT_FIELDS } from '../../processors/encrypt/config.ts';
import { encryptFactory } from '../../processors/encrypt/factory.ts';
import { meshParseFactory } from '../../processors/mesh_parse/factory.ts';
import { rbacFactory } from '../../processors/rbac/factory.ts';
import { filelogFactory } from '../../receivers/filelog/factory.ts';
import { agentConfig } from './agent-config.ts';
import { seededLine } from './encrypt-pipeline.ts';

const POLICY = `roles:
  sre: { description: everyone }
rules:
  - name: acme
    match: { path: /api/acme/* }
    tenant: acme
    classification: confidential
    audience: [sre]
default:
  tenant: globex
  classification: confidential
  audience: [sre]
`;

export interface TenantNode {
  agent: Agent;
  root: string;
  keyring: string;
  logFile: string;
  output: string;
}

export function startTenantNode(root: string, keyring: string): TenantNode {
  const registry = new Registry([filelogFactory, meshParseFactory, rbacFactory, encryptFactory, fileFactory]);
  const podDir = join(root, 'logs', 'pods', 'shop_orders-7d9f_uid-1', 'istio-proxy');
  mkdirSync(podDir, { recursive: true });
  const logFile = join(podDir, '0.log');
  appendFileSync(logFile, '');
  const output = join(root, 'out', 'sealed.jsonl');
  const sections = {
    receivers: {
      filelog: {
        include: [`${root}/logs/**/*.log`],
        start_at: 'beginning',
        poll_interval: '20ms',
        checkpoint_interval: '50ms',
      },
    },
    processors: {
      mesh_parse: { user_id: { from: [{ header: 'x-user-id' }] } },
      rbac: { policy_inline: POLICY },
      encrypt: {
        keyring,
        poll_interval: '20ms',
        fields: [...DEFAULT_ENCRYPT_FIELDS, 'http.request.header.x-user-id'],
      },
    },
    exporters: { file: { path: output, encryption: { keyring } } },
    service: {
      data_dir: join(root, 'node', 'state'),
      workers: { threads: 2 },
      pipelines: {
        logs: { receivers: ['filelog'], processors: ['mesh_parse', 'rbac', 'encrypt'], exporters: ['file'] },
      },
    },
  };
  writeFileSync(join(root, 'node', 'config.yaml'), stringify(sections), { mode: 0o600 });
  const agent = new Agent(agentConfig(registry, sections), registry, { logger: pino({ level: 'silent' }) });
  return { agent, root, keyring, logFile, output };
}

/** A line of `tenant` (acme: a path under /api/acme/) whose secrets carry `seed`. */
export function tenantLine(i: number, tenant: 'acme' | 'globex', seed: string): string {
  const line = JSON.parse(seededLine(i, seed)) as { path: string };
  line.path = `/api/${tenant === 'acme' ? 'acme' : 'shop'}/${i}?token=${seed}`;
  return JSON.stringify(line);
}
