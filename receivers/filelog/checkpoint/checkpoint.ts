// Acknowledged offsets per file, written under service.data_dir (durable-write.ts: a crash leaves
// the old or the new file, never a torn one). Each entry carries digests of the file's first bytes
// (its fingerprint) and of the bytes just before the offset, so a restart can tell the same file
// from a new one that got the same inode. Entries of files gone longer than
// `checkpoint_retention` are pruned, so the state stays bounded on a node that churns pods.
import { readFileSync } from 'node:fs';
import type { Digest } from '../identity/fingerprint.ts';
import { writeDurably, writeDurablyAsync } from './durable-write.ts';

export interface FileCheckpoint {
  path: string;
  dev: number;
  ino: number;
  offset: number;
  /** Digest of the first bytes; absent in version 1 checkpoints. */
  fingerprint?: Digest;
  /** Digest of the bytes just before `offset`, when known. */
  tail?: Digest;
  /** When the file was last seen (ms since the epoch); it is pruned after checkpoint_retention. */
  seen_at?: number;
}

export class CheckpointStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  /** Returns undefined when there has never been a checkpoint (the agent's first start). */
  load(): Map<string, FileCheckpoint> | undefined {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return undefined;
    }
    const list = (JSON.parse(text) as { files: FileCheckpoint[] }).files;
    return new Map(list.map((c) => [identity(c.dev, c.ino), c]));
  }

  /**
   * `json`: the whole checkpoint, `{"version":2,"files":[…]}` with the files' FileCheckpoint
   * entries, as UTF-8 (checkpoint-writer.ts builds it from pieces cached per file).
   */
  save(json: Uint8Array): void {
    writeDurably(this.#file, json);
  }

  /** The periodic write, off the main thread; the caller never starts one while another runs. */
  saveAsync(json: Uint8Array): Promise<void> {
    return writeDurablyAsync(this.#file, json);
  }
}

export function identity(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}
