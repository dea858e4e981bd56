// Log files with one unique id per line, laid out as the kubelet does
// (/…/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log), so each record's resource and file
// attributes can be predicted from its id alone. Most files are CRI-wrapped; every `rawEvery`-th
// file holds raw lines, which format: auto must pass through unwrapped.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedLogs {
  root: string;
  /** Glob matching every generated file, for filelog's include. */
  include: string;
  files: GeneratedFile[];
  lines: number;
  perFile: number;
}

export interface GeneratedFile {
  path: string;
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  cri: boolean;
}

export interface GenerateOptions {
  lines: number;
  files: number;
  /** Every n-th file is raw (not CRI-wrapped); 0 for none. */
  rawEvery?: number;
}

const LINES_PER_WRITE = 8192;

export function generateLogs(root: string, o: GenerateOptions): GeneratedLogs {
  const logs = layoutLogs(root, o);
  writeSlice(logs, 0, 1);
  return logs;
}

/** Creates the files empty; writeSlice fills them, for traffic that arrives over time. */
export function layoutLogs(root: string, o: GenerateOptions): GeneratedLogs {
  const files: GeneratedFile[] = [];
  for (let f = 0; f < o.files; f++) {
    const file = podFile(root, f, !(o.rawEvery && f % o.rawEvery === o.rawEvery - 1));
    closeSync(openSync(file.path, 'a'));
    files.push(file);
  }
  const perFile = Math.ceil(o.lines / o.files);
  return { root, include: join(root, 'pods', '*', '*', '*.log'), files, lines: o.lines, perFile };
}

/** Appends part `step` of `steps` of every file's ids (file f holds ids [f·perFile, (f+1)·perFile)). */
export function writeSlice(logs: GeneratedLogs, step: number, steps: number): void {
  const slice = Math.ceil(logs.perFile / steps);
  logs.files.forEach((file, f) => {
    const from = f * logs.perFile + step * slice;
    const to = Math.min(logs.lines, (f + 1) * logs.perFile, from + slice);
    if (to > from) writeLines(file, from, to);
  });
}

export function podFile(root: string, index: number, cri: boolean): GeneratedFile {
  const file = {
    namespace: cri ? 'shop' : 'legacy',
    pod: `web-${index}`,
    uid: `0000-uid-${index}`,
    container: cri ? 'istio-proxy' : 'app',
    cri,
    path: '',
  };
  const dir = join(root, 'pods', `${file.namespace}_${file.pod}_${file.uid}`, file.container);
  mkdirSync(dir, { recursive: true });
  file.path = join(dir, '0.log');
  return file;
}

/** Appends lines with ids [from, to) to `file`. */
export function writeLines(file: GeneratedFile, from: number, to: number): void {
  const fd = openSync(file.path, 'a');
  try {
    for (let start = from; start < to; start += LINES_PER_WRITE) {
      let text = '';
      for (let id = start; id < Math.min(to, start + LINES_PER_WRITE); id++) text += line(file, id) + '\n';
      writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
}

/** The record body meshtail should deliver for `id`: it starts with `id=<n> `. */
export function body(id: number): string {
  return `id=${id} GET /api/v1/items/${id % 977} HTTP/1.1 200 - via_upstream 312 ${id % 53} "shop-frontend"`;
}

function line(file: GeneratedFile, id: number): string {
  if (!file.cri) return body(id);
  const ns = String(id % 1_000_000_000).padStart(9, '0');
  return `2026-11-25T13:00:00.${ns}Z stdout F ${body(id)}`;
}

/** The id a received body carries, or -1. */
export function idOf(received: string): number {
  if (!received.startsWith('id=')) return -1;
  const end = received.indexOf(' ', 3);
  const id = Number(received.slice(3, end === -1 ? undefined : end));
  return Number.isInteger(id) ? id : -1;
}
