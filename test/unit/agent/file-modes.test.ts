// Files meshtail writes are 0600 in 0700 directories, whatever the umask leaves by default (0644):
// the file exporter's output (also one an older version left wider), checkpoints, the disk queue's
// ack file, the anomaly detector's snapshot. Quarantine files: test/unit/agent/pipeline/
// fail-closed.test.ts; the decrypt audit log and output: created 0600 by decrypt-command.ts.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAck } from '../../../agent/kit/queue/disk-queue/ack-file.ts';
import { fileRotationSchema } from '../../../exporters/file/config.ts';
import { RotatingFile } from '../../../exporters/file/rotating-file.ts';
import { saveState } from '../../../processors/anomaly/snapshot.ts';
import { writeDurably, writeDurablyAsync } from '../../../receivers/filelog/checkpoint/durable-write.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('file modes', () => {
  it('the file exporter writes 0600 in a 0700 directory, and narrows a file left wider', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-modes-'));
    const path = join(dir, 'out', 'audit.jsonl');
    const rotation = fileRotationSchema.parse({ max_size: '10B' })!;
    const file = new RotatingFile(path, rotation);
    await file.open();
    await file.write(Buffer.from('0123456789\n'));
    await file.write(Buffer.from('rotated\n'));
    await file.close();
    expect(modeOf(join(dir, 'out'))).toBe(0o700);
    expect(modeOf(path)).toBe(0o600);
    const rotated = readdirSync(join(dir, 'out')).filter((n) => n !== 'audit.jsonl');
    expect(rotated).toHaveLength(1);
    expect(modeOf(join(dir, 'out', rotated[0]!))).toBe(0o600);
    const older = join(dir, 'older.jsonl');
    writeFileSync(older, 'x\n', { mode: 0o644 });
    const reopened = new RotatingFile(older, undefined);
    await reopened.open();
    await reopened.close();
    expect(modeOf(older)).toBe(0o600);
  });

  it('checkpoints and the queue ack file are 0600 in 0700 directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-modes-'));
    writeDurably(join(dir, 'receivers', 'filelog', 'checkpoints.json'), '{}');
    await writeDurablyAsync(join(dir, 'async', 'checkpoints.json'), '{}');
    await writeAck(dir, { segment: 1, index: 2, offset: 3 }, true);
    expect(modeOf(join(dir, 'receivers', 'filelog'))).toBe(0o700);
    expect(modeOf(join(dir, 'receivers', 'filelog', 'checkpoints.json'))).toBe(0o600);
    expect(modeOf(join(dir, 'async'))).toBe(0o700);
    expect(modeOf(join(dir, 'async', 'checkpoints.json'))).toBe(0o600);
    expect(modeOf(join(dir, 'ack'))).toBe(0o600);
  });

  it('the anomaly detector snapshot is 0600 in a 0700 directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-modes-'));
    const path = join(dir, 'processors', 'anomaly', 'state.json');
    await saveState(path, {
      version: 1,
      next: undefined,
      firstSeen: undefined,
      edges: [],
      series: [],
      alarms: [],
    });
    expect(modeOf(join(dir, 'processors', 'anomaly'))).toBe(0o700);
    expect(modeOf(path)).toBe(0o600);
  });
});
