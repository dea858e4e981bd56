// What one file's read turns carry from a turn to the next: the rest of a cut line being skipped,
// the partial runs cut at the end of the last batch, since when an unfinished run waits, a read
// that found other bytes before the offset, and whether the writer is done with the file. Also
// whether a turn runs now, and whether a poll skipped the file meanwhile.
export class ReadState {
  #busy = false;
  #recheck = false;
  #skipping = false;
  #continued: string[] = [];
  #waitingSince: number | undefined;
  #moved = false;
  #complete = false;

  /** Inside the rest of a line cut at max_line_size: bytes are skipped up to the next '\n'. */
  get skipping(): boolean {
    return this.#skipping;
  }

  /** Streams whose reassembled run was cut at the end of the previous batch (max_log_size). */
  get continued(): readonly string[] {
    return this.#continued;
  }

  /** Since when an unfinished partial run waits at the end of the file. */
  get waitingSince(): number | undefined {
    return this.#waitingSince;
  }

  /** A read found other bytes before the offset than it read last: the recheck after the turn truncates. */
  get moved(): boolean {
    return this.#moved;
  }

  /** The writer is done with the file (retention saw the writer reopen): an unterminated last line is read as is. */
  get complete(): boolean {
    return this.#complete;
  }

  /** True during a read turn: the poll leaves the file alone until the next round. */
  get busy(): boolean {
    return this.#busy;
  }

  /** The poll skipped this file while it was busy: check it again after the turn. */
  get recheck(): boolean {
    return this.#recheck;
  }

  turnStarted(): void {
    this.#busy = true;
  }

  turnEnded(): void {
    this.#busy = false;
  }

  /** A poll saw a size while the turn ran: the recheck after the turn applies it. */
  pollSkipped(): void {
    this.#recheck = true;
  }

  /** A size was applied (by a poll, or by the recheck after a turn): nothing is left to check. */
  rechecked(): void {
    this.#recheck = false;
  }

  /** Whether the offset falls inside a line (resumed, or a cut line's rest): skipped to its end. */
  skipToLineEnd(inside: boolean): void {
    this.#skipping = inside;
  }

  /** Marks the runs the next batch continues; empty when none. */
  continueRuns(streams: string[]): void {
    this.#continued = streams;
  }

  /** The runs the next batch continues, once: the batch after it starts afresh. */
  takeContinued(): string[] {
    const c = this.#continued;
    this.#continued = [];
    return c;
  }

  waitFrom(since: number | undefined): void {
    this.#waitingSince = since;
  }

  markMoved(): void {
    this.#moved = true;
  }

  /** Whether a read found the file moved; cleared by the asking. */
  takeMoved(): boolean {
    const m = this.#moved;
    this.#moved = false;
    return m;
  }

  writerLeft(): void {
    this.#complete = true;
  }

  /** A new generation of the file (a truncation): nothing carries over to its first read. */
  restart(): void {
    this.#skipping = false;
    this.#continued = [];
    this.#waitingSince = undefined;
  }
}
