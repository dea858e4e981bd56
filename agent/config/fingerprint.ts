// What identifies a component's running instance across a reload: its type, its options in
// canonical form (keys sorted) and the content of the files it reads once at start (TLS PEM files),
// so a reload keeps a component whose fingerprint is unchanged and rebuilds one whose options or
// TLS files changed. The rbac policy is part of the options already (loaded by its schema); the
// encrypt keyring is watched by the processor itself.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ComponentConfig } from './types.ts';

const FILE_KEYS = new Set(['ca_file', 'cert_file', 'key_file']);

export function fingerprint(c: ComponentConfig): string {
  const hash = createHash('sha256');
  hash.update(c.type);
  hash.update('\0');
  hash.update(canonicalJson(c.config));
  for (const path of filesOf(c.config)) {
    hash.update(`\0${path}\0`);
    try {
      hash.update(readFileSync(path));
    } catch (err) {
      hash.update(`unreadable:${(err as NodeJS.ErrnoException).code ?? ''}`);
    }
  }
  return hash.digest('hex');
}

/** JSON with keys sorted at every level; bigints as strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** Paths under the TLS file keys, anywhere in a component's options. */
export function filesOf(config: unknown, out: string[] = []): string[] {
  if (!config || typeof config !== 'object') return out;
  for (const [k, v] of Object.entries(config)) {
    if (FILE_KEYS.has(k) && typeof v === 'string' && v !== '') out.push(v);
    else if (v && typeof v === 'object') filesOf(v, out);
  }
  return out;
}
