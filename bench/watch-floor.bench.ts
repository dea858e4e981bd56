// What noticing and reading appends costs Node itself, before any of meshtail's work: a bare
// script (this one) keeps 1000 files open, each appended one CRI line a second by
// bench/lib/idle-writer.ts, and notices and reads the appends one of four ways. Its own CPU over
// the window is the floor under the filelog receiver's cost for that way (bench/RESULTS.md).
//   watch     one node:fs watch per directory (what change-watch.ts does for a quiet directory);
//             an event marks its file, every 200 ms the marked files are read (pread at the offset)
//   pollread  no watch: every second every file is read at its offset (0 bytes when nothing came)
//   pollstat  pollread plus a stat of each file's directory, as change-watch.ts does for a busy one
//   idle      nothing but a 1 s timer: the process's own floor
// Run: node bench/watch-floor.bench.ts [--mode watch|pollread|pollstat|idle] [--files 1000]
//      [--seconds 30] [--tick 10: the writer's tick in ms; 1 spreads the appends a file per ms]
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stopChild, track } from '../test/support/child-processes.ts';
import { machine } from './lib/proc-stats.ts';
import { git, round, sleep } from './lib/run-info.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'watch' },
    files: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' },
    tick: { type: 'string', default: '10' },
  },
});
const MODE = values.mode!;
const FILES = Number(values.files);
const WRITER = fileURLToPath(new URL('./lib/idle-writer.ts', import.meta.url));
if (!['watch', 'pollread', 'pollstat', 'idle'].includes(MODE)) throw new Error(`unknown --mode ${MODE}`);

const dir = mkdtempSync(join(tmpdir(), 'meshtail-floor-'));
const paths: string[] = [];
for (let i = 0; i < FILES; i++) {
  const d = join(dir, `idle_pod-${i}_uid-${i}`, 'istio-proxy');
  mkdirSync(d, { recursive: true });
  paths.push(join(d, '0.log'));
  closeSync(openSync(paths[i]!, 'a'));
}
const fds = paths.map((p) => openSync(p, 'r'));
const offsets = new Array<number>(FILES).fill(0);
const scratch = Buffer.allocUnsafe(64 * 1024);
let lines = 0;
function readOne(i: number): void {
  const n = readSync(fds[i]!, scratch, 0, scratch.length, offsets[i]!);
  if (n > 0) {
    offsets[i]! += n;
    lines++;
  }
}

const timers: NodeJS.Timeout[] = [];
const watchers: ReturnType<typeof watch>[] = [];
if (MODE === 'watch') {
  const marked = new Set<number>();
  paths.forEach((p, i) => {
    watchers.push(watch(dirname(p), { persistent: false }, () => marked.add(i)));
  });
  timers.push(
    setInterval(() => {
      for (const i of marked) readOne(i);
      marked.clear();
    }, 200),
  );
} else if (MODE === 'pollread' || MODE === 'pollstat') {
  timers.push(
    setInterval(() => {
      for (let i = 0; i < FILES; i++) {
        if (MODE === 'pollstat') statSync(dirname(paths[i]!));
        readOne(i);
      }
    }, 1000),
  );
} else {
  timers.push(setInterval(() => {}, 1000));
}

const child = spawn(process.execPath, [WRITER, JSON.stringify(paths), values.tick!], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const exited = track(child);
try {
  await sleep(5000);
  const box = machine();
  const c0 = process.cpuUsage();
  const l0 = lines;
  const t0 = performance.now();
  await sleep(Number(values.seconds) * 1000);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const command = `node bench/watch-floor.bench.ts --mode ${MODE} --files ${FILES} --seconds ${values.seconds} --tick ${values.tick}`;
  const result = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    command,
    node: process.version,
    ...box,
    commit: git('rev-parse', '--short', 'HEAD'),
    cpuPercentOfOneCore: round(((c.user + c.system) / 1e6 / wall) * 100, 2),
    userSystemPercent: `${round((c.user / 1e6 / wall) * 100, 2)} / ${round((c.system / 1e6 / wall) * 100, 2)}`,
    linesReadPerSecond: Math.round((lines - l0) / wall),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `| ${result.date} | \`${command}\` | ${result.node} | ${result.commit} | ${result.load.split(' ')[0]} | **${result.cpuPercentOfOneCore} %** | ${result.linesReadPerSecond} |`,
  );
} finally {
  for (const t of timers) clearInterval(t);
  for (const w of watchers) w.close();
  await stopChild(child, exited, 'SIGTERM', 5000);
  for (const fd of fds) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
}
