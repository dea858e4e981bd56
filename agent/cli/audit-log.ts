// The decrypt audit log: one JSON line per `meshtail decrypt` run, appended (mode 0600) and synced.
// The file is opened before anything is decrypted, so a run that cannot be audited does not run.
// An entry names who, when, the input, the keys used and which records were opened (by trace and
// request id, up to MAX_IDS of them), never a decrypted value.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';

export const MAX_IDS = 10_000;

export interface OpenedRecord {
  line: number;
  record: number;
  kid: string;
  trace_id?: string;
  request_id?: string;
}

export interface AuditEntry {
  time: string;
  command: 'decrypt';
  /** --who, else the OS user. */
  who: string;
  /** The OS user always, so --who cannot hide who ran it. */
  os_user: string;
  host: string;
  input: string;
  output: string;
  keyring: string;
  outcome: 'ok' | 'partial' | 'failed';
  records: { total: number; sealed: number; opened: number; no_key: number; failed: number };
  /** Lines sealed whole (the file exporter's `encryption`); their records are in `records`. */
  lines: { sealed: number; opened: number; no_key: number; failed: number };
  kids_used: Record<string, number>;
  opened: OpenedRecord[];
  opened_truncated: boolean;
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

export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

export function hostName(): string {
  return hostname();
}
