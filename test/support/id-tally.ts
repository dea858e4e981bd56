// Checks what the Collector received against what generateLogs wrote, record by record and in
// constant memory per id: a count per id (exactly once each is the goal), plus the file and
// resource attributes every record must carry. Only the first few mismatches are kept.
import type { ReceivedLog } from './collector-output.ts';
import { type GeneratedLogs, idOf } from './generated-logs.ts';

export interface TallyReport {
  received: number;
  unique: number;
  missing: number;
  duplicates: number;
  unknown: number;
  badAttributes: number;
  examples: string[];
}

export class IdTally {
  readonly #logs: GeneratedLogs;
  readonly #seen: Uint8Array;
  #received = 0;
  #unique = 0;
  #unknown = 0;
  #duplicates = 0;
  #badAttributes = 0;
  readonly #examples: string[] = [];

  constructor(logs: GeneratedLogs) {
    this.#logs = logs;
    this.#seen = new Uint8Array(logs.lines);
  }

  /** Pass as the visitor of Collector.poll / waitForRecords. */
  readonly visit = (r: ReceivedLog): void => {
    this.#received++;
    const i = idOf(r.body);
    if (i < 0 || i >= this.#seen.length) {
      this.#unknown++;
      this.#example(`unknown body: ${r.body.slice(0, 120)}`);
      return;
    }
    if (this.#seen[i]! > 0) this.#duplicates++;
    else {
      this.#seen[i] = 1;
      this.#unique++;
    }
    const problem = this.#checkAttributes(i, r);
    if (problem) {
      this.#badAttributes++;
      this.#example(`id ${i}: ${problem}`);
    }
  };

  /** Ids seen at least once so far. */
  get unique(): number {
    return this.#unique;
  }

  report(): TallyReport {
    let unique = 0;
    for (const s of this.#seen) unique += s;
    return {
      received: this.#received,
      unique,
      missing: this.#seen.length - unique,
      duplicates: this.#duplicates,
      unknown: this.#unknown,
      badAttributes: this.#badAttributes,
      examples: this.#examples,
    };
  }

  #checkAttributes(index: number, r: ReceivedLog): string | undefined {
    const file = this.#logs.files[Math.floor(index / this.#logs.perFile)]!;
    const expected: Record<string, unknown> = {
      'k8s.namespace.name': file.namespace,
      'k8s.pod.name': file.pod,
      'k8s.pod.uid': file.uid,
      'k8s.container.name': file.container,
      'k8s.container.restart_count': 0,
    };
    for (const [key, value] of Object.entries(expected)) {
      if (r.resource[key] !== value) return `resource ${key}=${String(r.resource[key])}, want ${value}`;
    }
    if (r.attributes['log.file.path'] !== file.path) return `log.file.path=${r.attributes['log.file.path']}`;
    if (file.cri && r.attributes['log.iostream'] !== 'stdout')
      return `log.iostream=${r.attributes['log.iostream']}`;
    if ('meshtail.parse.error' in r.attributes) return `parse error ${r.attributes['meshtail.parse.error']}`;
    return undefined;
  }

  #example(text: string) {
    if (this.#examples.length < 5) this.#examples.push(text);
  }
}
