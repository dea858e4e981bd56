// Runs seq-writer-main.ts as a child process (its own event loop, so the test's polling does not
// slow it down) and hands back what it wrote.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Exit, stopChild, track } from './child-processes.ts';
import type { WriterPlan, WriterSummary } from './seq-writer-main.ts';

const MAIN = fileURLToPath(new URL('./seq-writer-main.ts', import.meta.url));

export class SeqWriter {
  readonly plan: WriterPlan;
  readonly #child: ChildProcess;
  readonly #exited: Promise<Exit>;
  #stdout = '';
  #stderr = '';

  constructor(plan: WriterPlan) {
    this.plan = plan;
    this.#child = spawn(process.execPath, [MAIN, JSON.stringify(plan)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#exited = track(this.#child);
    this.#child.stdout!.on('data', (d: Buffer) => {
      this.#stdout += d.toString();
    });
    this.#child.stderr!.on('data', (d: Buffer) => {
      this.#stderr += d.toString();
    });
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** What a rotator sends after moving the files away: every file is reopened by its path. */
  reopen(): void {
    this.#child.kill(this.plan.reopenSignal ?? 'SIGHUP');
  }

  /** The summary once the writer stopped writing: after the planned duration, at most `timeoutMs`. */
  async finished(timeoutMs: number): Promise<WriterSummary> {
    const end = Date.now() + timeoutMs;
    while (!this.#stdout.includes('\n') && this.running && Date.now() < end) await sleep(50);
    if (!this.#stdout.includes('\n')) {
      await this.stop();
      throw new Error(
        `writer gave no summary (exit ${this.#child.exitCode ?? this.#child.signalCode}): ${this.#stderr}`,
      );
    }
    return JSON.parse(this.#stdout.slice(0, this.#stdout.indexOf('\n'))) as WriterSummary;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  stop(): Promise<Exit> {
    return stopChild(this.#child, this.#exited, 'SIGTERM', 5000);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
