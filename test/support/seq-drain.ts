// Waits until the Collector holds every written sequence number once, or nothing more comes (no new
// record for 5 s and the agent reports no unread bytes, or for 15 s), or a timeout; then a moment
// longer so late duplicates would show. `lag` is the agent's unread bytes when it went quiet.
import type { Collector } from './collector.ts';
import type { MeshtailProcess } from './meshtail-process.ts';
import type { SeqTally } from './seq-tally.ts';

const QUIET_MS = 5000;

export async function drainSeq(
  collector: Collector,
  tally: SeqTally,
  written: number[],
  meshtail: () => MeshtailProcess | undefined,
  timeoutMs: number,
): Promise<{ drainSeconds: number; complete: boolean; lag: number }> {
  const total = written.reduce((a, b) => a + b, 0);
  const start = Date.now();
  let complete = false;
  let last = -1;
  let quietSince = Date.now();
  let lag = Number.NaN;
  while (Date.now() - start < timeoutMs) {
    collector.poll(tally.visit);
    if (tally.received !== last) {
      last = tally.received;
      quietSince = Date.now();
    } else if (Date.now() - quietSince > QUIET_MS) {
      lag =
        (await meshtail()
          ?.metric('meshtail_receiver_file_lag_bytes')
          .catch(() => Number.NaN)) ?? Number.NaN;
      if (lag === 0 || Date.now() - quietSince > 3 * QUIET_MS) break;
    }
    // Counting unique seqs is a full scan: only worth it once enough records arrived.
    if (tally.received - tally.duplicated >= total && tally.unique(written) >= total) {
      complete = true;
      break;
    }
    if (!meshtail()?.running) break;
    await sleep(250);
  }
  const drainSeconds = (Date.now() - start) / 1000;
  await sleep(1500);
  collector.poll(tally.visit);
  return { drainSeconds, complete, lag };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
