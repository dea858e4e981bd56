// kill -9 of the agent, 10 times at seeded random moments, while a writer appends sequence-numbered
// lines to 20 files (kubelet-style rotation every 5–8 s; rotated files stay matched); each time
// `meshtail run` is restarted with the same data_dir. Nothing may be lost. Duplicates are allowed
// only within the window docs/filelog.md documents for a kill: the batches acknowledged after the
// last checkpoint write plus the batches in flight (at most workers.max_inflight_batches ×
// read_buffer_size bytes). Checked two ways per kill, from the checkpoint file as the kill left it:
// every replayed line lies at or beyond the offset saved for its file (exact), and the replays are
// at most what the Collector received since each kill's checkpoint was written plus the in-flight
// batches (summed over the kills: a kill soon after a restart leaves part of the previous kill's
// replay still to come, and it arrives after the next restart).
// CI: 45 s at 5k lines/s (a restart takes 2–5 s on a loaded 2-core machine, so 10 kills fill it).
// Full run: MESHTAIL_KILL9_SECONDS=120 MESHTAIL_KILL9_RATE=20000
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../agent/demo/seeded-random.ts';
import { Collector, requireCollector } from '../support/collector.ts';
import { DeliveryRate } from '../support/delivery-rate.ts';
import { freePort } from '../support/free-port.ts';
import { KubeletRotate } from '../support/kubelet-rotate.ts';
import { writeMeshtailConfig } from '../support/meshtail-config.ts';
import { MeshtailProcess } from '../support/meshtail-process.ts';
import {
  type CheckpointSnapshot,
  committedFrontier,
  diskFiles,
  snapshotCheckpoint,
} from '../support/replay-window.ts';
import { RotationLoop } from '../support/rotation-loop.ts';
import { drainSeq, sleep } from '../support/seq-drain.ts';
import { LINE_BYTES } from '../support/seq-lines.ts';
import { envNumber, layoutSeqNode, seqIncludes } from '../support/seq-node.ts';
import { SeqTally } from '../support/seq-tally.ts';
import { SeqWriter } from '../support/seq-writer.ts';

const SECONDS = envNumber('MESHTAIL_KILL9_SECONDS', 45);
const RATE = envNumber('MESHTAIL_KILL9_RATE', 5000);
const KILLS = envNumber('MESHTAIL_KILL9_KILLS', 10);
const SEED = envNumber('MESHTAIL_KILL9_SEED', 9);
const FILES = 20;
const DRAIN_MS = 60_000 + SECONDS * 1000;

// The duplicate window of docs/filelog.md, with the options this test sets.
const THREADS = 2;
const MAX_INFLIGHT_BATCHES = 8;
const READ_BUFFER_BYTES = 256 * 1024; // read_buffer_size default: one read is one batch
// The Collector writes a record before the agent hears the ack (later still when the agent's event
// loop lags on a loaded machine), and samples are 100 ms apart: "received since the checkpoint
// write" is counted from this much earlier.
const ACK_SLACK_MS = 1000;
const IN_FLIGHT_LINES = Math.ceil((MAX_INFLIGHT_BATCHES * READ_BUFFER_BYTES) / (LINE_BYTES + 1));

requireCollector();

describe('agent killed with SIGKILL and restarted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-kill9-'));
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
    else console.log(`kill9-restart: kept ${dir}`);
  });

  it(
    `loses nothing over ${KILLS} kills and replays only the documented window`,
    async () => {
      const root = join(dir, 'node');
      const files = layoutSeqNode(root, FILES, ['kubelet']);
      collector = await Collector.start(join(dir, 'collector'));
      const c = collector;
      const adminPort = await freePort();
      const config = writeMeshtailConfig(join(dir, 'meshtail.yaml'), {
        include: seqIncludes(root),
        exporter: { id: 'otlp_grpc', config: { endpoint: c.grpcEndpoint, tls: { insecure: true } } },
        dataDir: join(dir, 'state'),
        adminPort,
        pollInterval: '200ms',
        workers: { threads: THREADS, max_inflight_batches: MAX_INFLIGHT_BATCHES },
      });
      let incarnation = 0;
      const start = () => MeshtailProcess.start(config, adminPort, join(dir, `meshtail-${incarnation}.log`));
      meshtail = await start();

      writer = new SeqWriter({ files, rate: RATE, seconds: SECONDS });
      const w = writer;
      rotations = new RotationLoop(SEED);
      // Rotated files are never gzipped here: a file gzipped while the agent is down is unreadable
      // to any agent, which is the kubelet's loss, not this test's subject.
      for (const f of files)
        rotations.add(
          { kind: 'kubelet', rotate: () => new KubeletRotate(f.path, () => w.reopen(), 1e6).rotate() },
          5000,
          8000,
        );

      const tally = new SeqTally(
        files.map((f) => f.id),
        Math.ceil((RATE * SECONDS) / FILES) + 1000,
      );
      // Duplicates per epoch: epoch k is the agent started after kill k (epoch 0: the first one).
      const duplicatesByEpoch: { id: string; seq: number }[][] = [[]];
      tally.onDuplicate = (id, seq) => duplicatesByEpoch.at(-1)!.push({ id, seq });
      const rate = new DeliveryRate();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          rate.sample(c.poll(tally.visit));
          await sleep(100);
        }
      })();

      // Each kill comes a seeded random 0.3–3.5 s after the agent is ready: some before its first
      // checkpoint write (1 s), most while it catches up with what was written while it was down.
      const random = new SeededRandom(SEED);
      const checkpointFile = join(dir, 'state', 'receivers', 'filelog', 'checkpoints.json');
      const kills: {
        at: number;
        upSeconds: number;
        snapshot: CheckpointSnapshot;
        ackedSinceWrite: number;
      }[] = [];
      const t0 = Date.now();
      let readyAt = Date.now();
      for (let k = 0; k < KILLS; k++) {
        await sleep(random.int(300, 3500));
        rate.sample(c.poll(tally.visit));
        const killedAt = Date.now();
        await meshtail.stop('SIGKILL');
        const snapshot = snapshotCheckpoint(checkpointFile, killedAt);
        // What the dead agent sent is at the Collector by now; later duplicates are the restart's.
        await sleep(300);
        rate.sample(c.poll(tally.visit));
        const since = Number.isNaN(snapshot.ageMs)
          ? 0
          : rate.countAt(killedAt - snapshot.ageMs - ACK_SLACK_MS);
        kills.push({
          at: (killedAt - t0) / 1000,
          upSeconds: (killedAt - readyAt) / 1000,
          snapshot,
          ackedSinceWrite: rate.countAt(Date.now()) - since,
        });
        duplicatesByEpoch.push([]);
        incarnation++;
        meshtail = await start();
        readyAt = Date.now();
      }

      const summary = await w.finished(60_000 + SECONDS * 1000);
      await rotations.stop();
      await w.stop();
      const written = summary.written;
      const { drainSeconds, complete, lag } = await drainSeq(c, tally, written, () => meshtail, DRAIN_MS);
      sampling = false;
      await sampler;
      const exit = await meshtail.stop();
      c.poll(tally.visit);
      c.output.finish();

      const report = tally.report(
        files.map((f) => f.id),
        written,
      );
      // A line replayed after kill k must lie at or beyond the offset checkpoint k saved for its file.
      const onDisk = new Map(files.map((f) => [f.id, diskFiles(f.path, f.id)]));
      const belowCheckpoint: string[] = [];
      let belowCount = 0;
      duplicatesByEpoch.forEach((dups, epoch) => {
        for (const d of dups) {
          const frontier =
            epoch === 0
              ? Number.POSITIVE_INFINITY
              : committedFrontier(onDisk.get(d.id)!, d.seq, kills[epoch - 1]!.snapshot);
          if (d.seq >= frontier) continue;
          belowCount++;
          if (belowCheckpoint.length < 10)
            belowCheckpoint.push(
              `after kill ${epoch}: ${d.id} seq ${d.seq} replayed, checkpoint had it committed (frontier ${frontier})`,
            );
        }
      });
      const perKill = kills.map((k, i) => ({
        at: k.at,
        up: Math.round(k.upSeconds * 10) / 10,
        checkpointAgeMs: Math.round(k.snapshot.ageMs),
        duplicated: duplicatesByEpoch[i + 1]!.length,
        bound: k.ackedSinceWrite + IN_FLIGHT_LINES,
      }));
      const result = {
        seconds: SECONDS,
        rate: RATE,
        kills: kills.length,
        written: report.written,
        received: report.received,
        unique: report.unique,
        lost: report.lost,
        duplicated: report.duplicated,
        duplicatedBeforeFirstKill: duplicatesByEpoch[0]!.length,
        replayedBelowCheckpoint: belowCount,
        inFlightLines: IN_FLIGHT_LINES,
        perKill,
        unknown: report.unknown,
        rotations: rotations.counts.get('kubelet') ?? 0,
        drainSeconds: Math.round(drainSeconds * 10) / 10,
        complete,
        lagBytesWhenQuiet: lag,
        duplicatesBySource: Object.fromEntries(tally.duplicatesBySource),
        tornLines: c.output.tornLines,
      };
      console.log(`kill9-restart: ${JSON.stringify(result)}`);
      const lostRanges = report.files
        .filter((t) => t.lost > 0)
        .map((t) => `${t.id}: ${t.missingRanges.map(([a, b]) => `${a}..${b}`).join(' ')}`);

      expect(rotations.errors).toEqual([]);
      expect(kills.length).toBe(KILLS);
      expect(report.written).toBeGreaterThan(RATE * SECONDS * 0.9);
      expect(report.lost, `${lostRanges.join('\n')}\nlast log:\n${meshtail.log().slice(-2000)}`).toBe(0);
      expect(report.unknown, tally.examples.join('\n')).toBe(0);
      expect(duplicatesByEpoch[0]!.length, 'duplicates before any kill').toBe(0);
      expect(belowCount, belowCheckpoint.join('\n')).toBe(0);
      for (const [i, k] of perKill.entries())
        expect(k.duplicated, `kill ${i + 1}`).toBeLessThanOrEqual(k.bound);
      expect(exit).toEqual({ code: 0, signal: null });
    },
    SECONDS * 1000 + KILLS * 35_000 + DRAIN_MS + 60_000,
  );
});
