// The filelog decoder's cost per CRI line, as a worker pays it for a joined batch of quiet files:
// 1000 segments of one containerd-framed line each, cut into lines and decoded (format auto), in a
// loop on one thread. Prints µs per line. Results: bench/RESULTS.md.
// Run: node bench/cri-decode.bench.ts [--rounds 5000]
import { parseArgs } from 'node:util';
import type { LogRecord } from '../agent/kit/record/record.ts';
import { lines } from '../agent/pool/lines.ts';
import { createDecoder } from '../receivers/filelog/read/decoder.ts';
import { machine } from './lib/proc-stats.ts';
import { git, round } from './lib/run-info.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5000' } } });
const ROUNDS = Number(values.rounds);
const decode = createDecoder({ format: 'auto', maxLogSize: 1 << 20 });
const segments = Array.from({ length: 1000 }, (_, i) =>
  Buffer.from(`2026-11-26T01:38:03.123456Z stdout F idle line ${i} of file ${i}\n`),
);
const state = { observedTimeUnixNano: 1n };
let records = 0;
function pass(): void {
  for (const s of segments) {
    const out: LogRecord[] = [];
    decode(lines(s), out, state);
    records += out.length;
  }
}
for (let i = 0; i < 1000; i++) pass(); // warm-up: the optimising compiler settles
records = 0;
const start = performance.now();
for (let i = 0; i < ROUNDS; i++) pass();
const ms = performance.now() - start;
if (records !== ROUNDS * segments.length) throw new Error(`decoded ${records} records`);
console.log(
  JSON.stringify(
    {
      ...machine(),
      commit: git('rev-parse', '--short', 'HEAD'),
      rounds: ROUNDS,
      microsecondsPerLine: round((ms * 1000) / records, 3),
    },
    null,
    2,
  ),
);
