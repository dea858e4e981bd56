// The decrypt audit log: JSON lines, appended (mode 0600) and fsynced one by one (see AuditEntry).
// The file is opened before anything is decrypted, so a run that cannot be audited does not run.
// An entry names who, when, the input, the keys used and which records were opened (by trace and
// request id, up to MAX_IDS of them), never a decrypted value.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AuditIdentity } from './audit-identity.ts';

export const MAX_IDS = 10_000;

export interface OpenedRecord {
  line: number;
  record: number;
  kid: string;
  trace_id?: string;
  request_id?: string;
}

/**
 * Two entries per run, one `run` id: `intent`, written and fsynced before any plaintext, with who
 * runs it and every record it will open; then `outcome` with what happened. A run that fails before
 * revealing anything writes only an `outcome`.
 */
export interface AuditEntry {
  run: string;
  phase: 'intent' | 'outcome';
  time: string;
  command: 'decrypt';
  /** The OS user and, in a pod, the service account: never what the caller says. */
  who: AuditIdentity;
  /** --who: a note beside `who`, never instead of it. */
  note?: string;
  host: string;
  input: string;
  output: string;
  keyring: string;
  outcome?: 'ok' | 'partial' | 'failed';
  records: { total: number; sealed: number; opened: number; no_key: number; failed: number };
  /** Lines sealed whole (the file exporter's `encryption`); their records are in `records`. */
  lines: { sealed: number; opened: number; no_key: number; failed: number };
  kids_used: Record<string, number>;
  /** Per-tenant sealing: records opened per recipient tenant ('' the default recipient). */
  tenants_opened?: Record<string, number>;
  /** The --private-key files given. */
  private_keys?: string[];
  /** In the intent: the records the run will open. */
  opened?: OpenedRecord[];
  opened_truncated?: boolean;
  error?: string;
}

export class AuditLog {
  readonly #fd: number;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** Throws when the log cannot be opened for appending. */
  static open(path: string): AuditLog {
    return new AuditLog(openSync(path, 'a', 0o600));
  }

  append(entry: AuditEntry): void {
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.#fd);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

export function hostName(): string {
  return hostname();
}
