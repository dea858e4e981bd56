// A node's log tree for the rotation and kill -9 tests: files f00..fNN laid out as the kubelet
// does (/…/pods/<namespace>_<pod>_<uid>/<container>/0.log), the container name saying how the file
// is rotated, half of them CRI-wrapped.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { SeqFile } from './seq-lines.ts';

export type RotationKind = 'copytruncate' | 'create' | 'kubelet';

export interface NodeFile extends SeqFile {
  kind: RotationKind;
}

/** Lays out `count` empty files, their kinds taken in turn from `kinds`. */
export function layoutSeqNode(root: string, count: number, kinds: RotationKind[]): NodeFile[] {
  const files: NodeFile[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const id = `f${String(i).padStart(2, '0')}`;
    const dir = join(root, 'pods', `torture_pod-${id}_0000-uid-${id}`, kind);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, '0.log');
    closeSync(openSync(path, 'a'));
    files.push({ id, path, cri: i % 2 === 0, kind });
  }
  return files;
}

/**
 * filelog include patterns: copytruncate's copies and the kubelet's rotated (and gzipped) files are
 * matched, so a copy is read from the saved offset and a renamed file stays listed; for `create`
 * only the live file is, so the renamed one is read to its end through its open descriptor.
 */
export function seqIncludes(root: string): string[] {
  const pods = join(root, 'pods', '*');
  return [
    join(pods, 'copytruncate', '0.log*'),
    join(pods, 'create', '0.log'),
    join(pods, 'kubelet', '0.log*'),
  ];
}

/** Reads an integer from the environment, else `fallback`. */
export function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v > 0 ? v : fallback;
}
