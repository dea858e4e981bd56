// A main-thread part's work on a wall-clock interval (save a snapshot, export running totals):
// runs never overlap, the timer does not hold the process open, and stop() runs the work once more,
// bounded by a timeout so an exporter stuck on a full queue cannot hold up a shutdown.
export class PeriodicTask {
  readonly #run: () => Promise<void>;
  readonly #interval: number;
  #timer: NodeJS.Timeout | undefined;
  #last: Promise<void> = Promise.resolve();

  /** `run` must not throw: it reports its own failures. */
  constructor(run: () => Promise<void>, interval: number) {
    this.#run = run;
    this.#interval = interval;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.runNow(), this.#interval);
    this.#timer.unref();
  }

  /** Runs the work after the run in progress, if any. */
  runNow(): Promise<void> {
    this.#last = this.#last.then(this.#run, this.#run);
    return this.#last;
  }

  /** Stops the timer and runs the work a last time, waiting at most `timeout` ms for it. */
  async stop(timeout: number): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeout);
    });
    await Promise.race([this.runNow(), limit]);
    clearTimeout(timer);
  }
}
