// The writer process behind SeqWriter: appends sequence-numbered lines to many files at a target
// total rate, the files taking turns line by line. Files are opened O_APPEND (copytruncate needs
// it) and reopened by path on SIGHUP (or `reopenSignal`: Envoy reopens on SIGUSR1), as a logging
// library with "reopen on SIGHUP" does after logrotate's `create` or the kubelet's rename. Stops
// writing after `seconds` (or at SIGTERM) and prints the lines written per file as JSON on stdout,
// then waits for SIGTERM to exit: a reopen signal from a last rotation must find the handler in
// place, not a process shutting down.
// Run: node test/support/seq-writer-main.ts '<WriterPlan JSON>'
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { type SeqFile, seqLine } from './seq-lines.ts';

export interface WriterPlan {
  files: SeqFile[];
  /** Lines per second across all files. */
  rate: number;
  seconds: number;
  /** The signal that makes the writer reopen its files; SIGHUP when absent. */
  reopenSignal?: NodeJS.Signals;
  /** Where the writer writes its process id, as a daemon does for its rotator. */
  pidFile?: string;
}

export interface WriterSummary {
  /** Lines written per file, in plan order: file i holds seqs [0, written[i]). */
  written: number[];
  reopens: number;
  seconds: number;
}

const TICK_MS = 5;
const plan = JSON.parse(process.argv[2] ?? '{}') as WriterPlan;
const fds = plan.files.map((f) => openSync(f.path, 'a'));
const written = plan.files.map(() => 0);
let reopens = 0;
let next = 0; // the file whose turn it is
let stopping = false;
let finished = false;

if (plan.pidFile) writeFileSync(plan.pidFile, `${process.pid}\n`);
process.on(plan.reopenSignal ?? 'SIGHUP', () => {
  if (finished) return;
  // Open the new file first, then close the old one: no write can go to neither.
  plan.files.forEach((f, i) => {
    const fd = openSync(f.path, 'a');
    closeSync(fds[i]!);
    fds[i] = fd;
  });
  reopens++;
});
process.on('SIGTERM', () => {
  if (finished) process.exit(0);
  stopping = true;
});

const start = performance.now();
const end = start + plan.seconds * 1000;
const texts = plan.files.map(() => '');
const timer = setInterval(() => {
  const now = performance.now();
  const due = Math.floor((plan.rate * (Math.min(now, end) - start)) / 1000);
  let total = 0;
  for (const w of written) total += w;
  const date = new Date();
  for (let n = total; n < due; n++) {
    const i = next;
    next = (next + 1) % plan.files.length;
    texts[i] += seqLine(plan.files[i]!, written[i]!++, date) + '\n';
  }
  texts.forEach((text, i) => {
    if (text) writeSync(fds[i]!, text);
    texts[i] = '';
  });
  if (now >= end || stopping) finish(now);
}, TICK_MS);

function finish(now: number) {
  clearInterval(timer);
  for (const fd of fds) closeSync(fd);
  finished = true;
  const summary: WriterSummary = { written, reopens, seconds: (now - start) / 1000 };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (stopping) process.exit(0);
  setInterval(() => {}, 60_000); // stay until SIGTERM
}
