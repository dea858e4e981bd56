// Payloads a disk queue gives up: each drop is counted at once (the exporter's dropped_records
// metric, by reason) and summed into one warning per interval rather than one line per payload.
import type { Logger } from 'pino';

export type QueueDropReason = 'queue_full' | 'expired' | 'unreadable';

export class DropTally {
  readonly #logger: Pick<Logger, 'warn'>;
  readonly #exporter: string;
  readonly #count: (reason: QueueDropReason, records: number) => void;
  #since = new Map<QueueDropReason, { payloads: number; records: number }>();
  #notes = new Set<string>();

  constructor(
    logger: Pick<Logger, 'warn'>,
    exporter: string,
    count: (reason: QueueDropReason, records: number) => void,
  ) {
    this.#logger = logger;
    this.#exporter = exporter;
    this.#count = count;
  }

  drop(reason: QueueDropReason, records: number): void {
    this.#count(reason, records);
    const t = this.#since.get(reason) ?? { payloads: 0, records: 0 };
    t.payloads++;
    t.records += records;
    this.#since.set(reason, t);
  }

  /** A problem worth one line (a segment that cannot be opened); never key material or contents. */
  note(problem: string): void {
    this.#notes.add(problem);
  }

  /** Logs what was dropped since the last flush, one line per reason. */
  flush(): void {
    for (const [reason, t] of this.#since)
      this.#logger.warn({ exporter: this.#exporter, reason, ...t }, 'disk queue dropped payloads');
    for (const problem of this.#notes) this.#logger.warn({ exporter: this.#exporter, problem }, 'disk queue');
    this.#since = new Map();
    this.#notes = new Set();
  }
}
