// Rotation torture: a writer appends sequence-numbered lines (`<file-id> <seq> <padding>`, raw or
// CRI) to 20 files while each file is rotated every 2–4 s by the real logrotate (copytruncate, or
// create + SIGHUP reopen) or kubelet-style (rename to 0.log.<stamp>, new 0.log, older rotations
// gzipped). `meshtail run` → otlp_grpc → the real Collector. Every sequence number of every file
// must arrive exactly once; losses and duplicates are counted separately. A line found in no file
// on disk was destroyed by copytruncate itself (written between logrotate's copy and truncate
// before the agent read it); it is reported apart, with its window, and not charged to the agent.
// CI: 20 s at 5k lines/s. Full run (issue 3): MESHTAIL_TORTURE_SECONDS=120 MESHTAIL_TORTURE_RATE=20000
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector, requireCollector } from '../support/collector.ts';
import { freePort } from '../support/free-port.ts';
import { KubeletRotate } from '../support/kubelet-rotate.ts';
import { Logrotate, requireLogrotate } from '../support/logrotate.ts';
import { writeMeshtailConfig } from '../support/meshtail-config.ts';
import { MeshtailProcess, sumMetric } from '../support/meshtail-process.ts';
import { RotationLoop } from '../support/rotation-loop.ts';
import { drainSeq, sleep } from '../support/seq-drain.ts';
import { envNumber, layoutSeqNode, seqIncludes } from '../support/seq-node.ts';
import { type MissingEvidence, missingEvidence } from '../support/seq-on-disk.ts';
import { SeqTally } from '../support/seq-tally.ts';
import { SeqWriter } from '../support/seq-writer.ts';

const SECONDS = envNumber('MESHTAIL_TORTURE_SECONDS', 20);
const RATE = envNumber('MESHTAIL_TORTURE_RATE', 5000);
const SEED = envNumber('MESHTAIL_TORTURE_SEED', 3);
const FILES = 20;
const ROTATE_MS: [number, number] = [2000, 4000];
const DRAIN_MS = 60_000 + SECONDS * 1000;

requireCollector();
requireLogrotate();

// Issue #3's acceptance harness. CI runs the default size (20 s at 5k lines/s);
// MESHTAIL_TORTURE_SECONDS and MESHTAIL_TORTURE_RATE make the full run. The numbers of each run
// are in bench/RESULTS.md. MESHTAIL_TORTURE_LOG_LEVEL=debug with MESHTAIL_KEEP_DIR=1 keeps
// meshtail's trail of decisions and truncations, and the duplicated sequence numbers.
describe('rotation torture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-torture-'));
  let collector: Collector | undefined;
  let meshtail: MeshtailProcess | undefined;
  let writer: SeqWriter | undefined;
  let rotations: RotationLoop | undefined;

  afterAll(async () => {
    await rotations?.stop();
    await writer?.stop();
    await meshtail?.stop('SIGKILL');
    await collector?.stop();
    if (!process.env.MESHTAIL_KEEP_DIR) rmSync(dir, { recursive: true, force: true });
    else console.log(`rotation-torture: kept ${dir}`);
  });

  it(
    'delivers every line exactly once across copytruncate, create and kubelet rotations',
    async () => {
      const root = join(dir, 'node');
      const files = layoutSeqNode(root, FILES, ['copytruncate', 'create', 'kubelet']);
      collector = await Collector.start(join(dir, 'collector'));
      const adminPort = await freePort();
      const config = writeMeshtailConfig(join(dir, 'meshtail.yaml'), {
        include: seqIncludes(root),
        exporter: { id: 'otlp_grpc', config: { endpoint: collector.grpcEndpoint, tls: { insecure: true } } },
        dataDir: join(dir, 'state'),
        adminPort,
        pollInterval: '200ms', // the default
        // debug: every new file's decision and every truncation, to follow a duplicate back to its cause.
        ...(process.env.MESHTAIL_TORTURE_LOG_LEVEL && { logLevel: process.env.MESHTAIL_TORTURE_LOG_LEVEL }),
      });
      meshtail = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));

      writer = new SeqWriter({ files, rate: RATE, seconds: SECONDS });
      const w = writer;
      rotations = new RotationLoop(SEED);
      const kubelets: KubeletRotate[] = [];
      const logrotates: Logrotate[] = [];
      for (const f of files) {
        if (f.kind === 'kubelet') {
          const k = new KubeletRotate(f.path, () => w.reopen());
          kubelets.push(k);
          rotations.add({ kind: 'kubelet', rotate: () => k.rotate() }, ...ROTATE_MS);
        } else {
          const l = new Logrotate(join(dir, `logrotate-${f.id}`), f.path, f.kind, w.pid);
          logrotates.push(l);
          rotations.add({ kind: f.kind, rotate: () => l.rotate() }, ...ROTATE_MS);
        }
      }

      const tally = new SeqTally(
        files.map((f) => f.id),
        Math.ceil((RATE * SECONDS) / FILES) + 1000,
      );
      const duplicates: string[] = [];
      tally.onDuplicate = (id, seq) => {
        if (duplicates.length < 100_000) duplicates.push(`${id} ${seq}`);
      };
      const done = w.finished(30_000 + SECONDS * 1000);
      let writing = true;
      done.then(
        () => (writing = false),
        () => (writing = false),
      );
      // The most directories polled at once rather than watched (change-watch.ts: busy directories).
      let polledPeak = 0;
      for (let turn = 0; writing; turn++) {
        collector.poll(tally.visit);
        await sleep(500);
        if (turn % 5 === 4)
          polledPeak = Math.max(
            polledPeak,
            sumMetric(await meshtail.metrics(), 'meshtail_receiver_directories_polled'),
          );
      }
      const summary = await done;
      await rotations.stop();
      await w.stop();
      const written = summary.written;
      const { drainSeconds, complete, lag } = await drainSeq(
        collector,
        tally,
        written,
        () => meshtail,
        DRAIN_MS,
      );

      const m = await meshtail.metrics();
      const metric = (name: string) => sumMetric(m, name);
      const exit = await meshtail.stop();
      collector.poll(tally.visit);
      collector.output.finish();

      const report = tally.report(
        files.map((f) => f.id),
        written,
      );
      // Where each lost range went: still on disk (the agent's loss) or in no file (copytruncate's).
      let agentLost = 0;
      let methodLost = 0;
      const evidence: string[] = [];
      report.files.forEach((t, i) => {
        if (t.lost === 0) return;
        const f = files[i]!;
        const found: MissingEvidence[] = missingEvidence(f.path, f.id, t.missingRanges);
        const onDisk = found.reduce((a, e) => a + e.onDisk, 0);
        // Only copytruncate can destroy a line before anyone reads it; any other loss is the agent's.
        const destroyed = f.kind === 'copytruncate' ? t.lost - onDisk : 0;
        agentLost += t.lost - destroyed;
        methodLost += destroyed;
        for (const e of found
          .filter((x) => x.onDisk > 0)
          .concat(found.filter((x) => x.onDisk === 0).slice(0, 3)))
          evidence.push(
            `${f.id} (${f.kind}) seq ${e.range[0]}..${e.range[1]}: ${e.onDisk} on disk; ` +
              `seq before in ${e.before ?? 'no file'}, seq after in ${e.after ?? 'no file'}`,
          );
      });
      const rotated = Object.fromEntries(rotations.counts);
      const result = {
        seconds: SECONDS,
        rate: RATE,
        writtenSeconds: Math.round(summary.seconds * 10) / 10,
        written: report.written,
        received: report.received,
        unique: report.unique,
        lost: report.lost,
        lostByAgent: agentLost,
        lostByCopytruncate: methodLost,
        duplicated: report.duplicated,
        unknown: report.unknown,
        rotations: rotated,
        writerReopens: summary.reopens,
        gzipped: kubelets.reduce((a, k) => a + k.gzipped, 0),
        drainSeconds: Math.round(drainSeconds * 10) / 10,
        complete,
        lagBytesWhenQuiet: lag,
        duplicatesBySource: Object.fromEntries(tally.duplicatesBySource),
        agent: {
          rotations: metric('meshtail_receiver_rotations_total'),
          truncations: metric('meshtail_receiver_truncations_total'),
          givenUp: metric('meshtail_receiver_files_given_up_total'),
          errors: metric('meshtail_receiver_errors_total'),
          stallRescans: metric('meshtail_receiver_stall_rescans_total'),
          polledDirsPeak: polledPeak,
        },
        tornLines: collector.output.tornLines,
      };
      console.log(`rotation-torture: ${JSON.stringify(result)}`);
      if (process.env.MESHTAIL_KEEP_DIR)
        writeFileSync(join(dir, 'duplicates.txt'), `${duplicates.join('\n')}\n`);
      if (evidence.length) console.log(`rotation-torture lost ranges:\n${evidence.join('\n')}`);
      const failures = [...rotations.errors, ...logrotates.flatMap((l) => l.failures)];
      const context = `${evidence.slice(0, 20).join('\n')}\n${failures.join('\n')}\nmeshtail log:\n${meshtail.log().slice(-3000)}`;

      expect(failures, 'rotators failed').toEqual([]);
      for (const kind of ['copytruncate', 'create', 'kubelet']) expect(rotated[kind] ?? 0).toBeGreaterThan(0);
      expect(report.written).toBeGreaterThan(RATE * SECONDS * 0.9);
      expect(agentLost, context).toBe(0);
      // Only copytruncate can destroy a line before anyone reads it.
      for (const [i, t] of report.files.entries())
        if (files[i]!.kind !== 'copytruncate') expect(t.lost, `${t.id} ${files[i]!.kind}`).toBe(0);
      expect(report.duplicated, context).toBe(0);
      expect(report.unknown, tally.examples.join('\n')).toBe(0);
      expect(result.agent.givenUp).toBe(0);
      expect(exit).toEqual({ code: 0, signal: null });
    },
    SECONDS * 1000 + DRAIN_MS + 120_000,
  );
});
