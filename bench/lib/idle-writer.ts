// The writer process of bench/filelog-idle.bench.ts: appends one CRI line to each of many files
// once a second, the files spread evenly over the second (a few every 10 ms), through descriptors
// kept open as a container runtime keeps them. Runs until SIGTERM; prints lines written.
// Run: node bench/lib/idle-writer.ts '<JSON list of paths>' [tick ms, default 10: 1 spreads the
// appends a file per millisecond, as many independent writers would]
import { closeSync, openSync, writeSync } from 'node:fs';

const paths = JSON.parse(process.argv[2] ?? '[]') as string[];
const fds = paths.map((p) => openSync(p, 'a'));
const TICK_MS = Number(process.argv[3] ?? 10);
const perTick = Math.ceil((paths.length * TICK_MS) / 1000);
let next = 0;
let written = 0;

const timer = setInterval(() => {
  const ts = new Date().toISOString().replace('Z', '000000Z');
  for (let n = 0; n < perTick; n++) {
    const i = next;
    next = (next + 1) % fds.length;
    writeSync(fds[i]!, `${ts} stdout F idle line ${written++} of file ${i}\n`);
  }
}, TICK_MS);

process.on('SIGTERM', () => {
  clearInterval(timer);
  for (const fd of fds) closeSync(fd);
  process.stdout.write(`${JSON.stringify({ written })}\n`);
  process.exit(0);
});
