// What waking a quiet Node process costs: a bare script (this one) with nothing to do but the
// timers of one mode, its own CPU over the window. Why meshtail shares one loop clock between its
// event-loop delay metric and the filelog stall guard (agent/kit/loop-clock.ts), and counts
// timers on the hot path (bench/RESULTS.md).
//   none      no timer: the process's floor
//   interval  a 100 ms setInterval (the loop clock, the stall guard before it)
//   eld       perf_hooks monitorEventLoopDelay at 50 ms resolution (the delay metric before)
//   polls     a loop awaiting a 200 ms setTimeout each round (the filelog poll loop)
//   all       eld + interval + polls, what the agent had before the shared clock
// Run: node bench/timer-wakeups.bench.ts [--mode none|interval|eld|polls|all] [--seconds 30]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { machine } from './lib/proc-stats.ts';
import { round, sleep } from './lib/run-info.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'interval' },
    seconds: { type: 'string', default: '30' },
  },
});
const MODE = values.mode!;
const SECONDS = Number(values.seconds);
if (!['none', 'interval', 'eld', 'polls', 'all'].includes(MODE)) throw new Error(`unknown --mode ${MODE}`);
const all = MODE === 'all';
let stopped = false;

if (all || MODE === 'eld') monitorEventLoopDelay({ resolution: 50 }).enable();
if (all || MODE === 'interval') {
  let last = performance.now();
  let longest = 0;
  const t = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 100);
  t.unref();
}
if (all || MODE === 'polls') {
  void (async () => {
    while (!stopped) await sleep(200);
  })();
}

const before = process.cpuUsage();
const at = performance.now();
await sleep(SECONDS * 1000);
const used = process.cpuUsage(before);
const wall = (performance.now() - at) / 1000;
stopped = true;
console.log(
  JSON.stringify({
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    command: `node bench/timer-wakeups.bench.ts --mode ${MODE} --seconds ${SECONDS}`,
    node: process.version,
    ...machine(),
    cpuPercentOfOneCore: round(((used.user + used.system) / 1e6 / wall) * 100, 3),
  }),
);
process.exit(0);
