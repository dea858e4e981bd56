// Asks the writer to reopen its log files after a rotation: a signal to the process named by a pid
// file (Envoy reopens on SIGUSR1), or a POST to a URL (Envoy's admin `/reopen_logs`). The answer
// is a tagged result; the caller counts and logs failures.
import { readFile } from 'node:fs/promises';
import type { RetentionConfig } from './retention-config.ts';

type ReopenConfig = RetentionConfig['reopen'];

export type ReopenResult = { ok: true } | { ok: false; reason: string };

const HTTP_TIMEOUT_MS = 5000;

export async function requestReopen(c: ReopenConfig, signal: AbortSignal): Promise<ReopenResult> {
  if (c.url !== undefined) return post(c.url, signal);
  let text: string;
  try {
    text = await readFile(c.pid_file!, 'utf8');
  } catch (err) {
    return { ok: false, reason: `pid_file unreadable (${(err as NodeJS.ErrnoException).code})` };
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) return { ok: false, reason: 'pid_file holds no process id' };
  try {
    process.kill(pid, c.signal);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `${c.signal} to pid ${pid} failed (${(err as NodeJS.ErrnoException).code})` };
  }
}

/** What the logs say the writer was asked through: the pid file, or the URL without credentials. */
export function reopenTarget(c: ReopenConfig): Record<string, string> {
  if (c.url === undefined) return { pid_file: c.pid_file!, signal: c.signal };
  const u = new URL(c.url);
  u.username = '';
  u.password = '';
  u.search = '';
  return { url: u.href };
}

async function post(url: string, signal: AbortSignal): Promise<ReopenResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      signal: AbortSignal.any([signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]),
    });
    await res.body?.cancel();
    return res.ok ? { ok: true } : { ok: false, reason: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, reason: e.cause?.code ?? e.name };
  }
}
