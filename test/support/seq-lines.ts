// Sequence-numbered log lines for the rotation and kill -9 tests: `<file-id> <seq> <padding>`, raw
// or CRI-wrapped, so every received record names the file it came from and its place in that file.

export interface SeqFile {
  /** `f00`, `f01`, ...: the first word of every line of this file. */
  id: string;
  path: string;
  cri: boolean;
}

/** Lines are padded to about this many bytes (before CRI framing). */
export const LINE_BYTES = 100;

const PAD = 'x'.repeat(LINE_BYTES);

export function seqLine(file: SeqFile, seq: number, now: Date): string {
  const body = `${file.id} ${seq} `;
  const text = body + PAD.slice(body.length);
  if (!file.cri) return text;
  // containerd's framing: RFC 3339 with nanoseconds (the fraction padded to 9 digits here), Z.
  return `${now.toISOString().slice(0, 19)}.${String(now.getMilliseconds() * 1_000_000).padStart(9, '0')}Z stdout F ${text}`;
}

/** The file id and sequence number a delivered body (CRI framing removed) carries, or undefined. */
export function parseSeq(body: string): { id: string; seq: number } | undefined {
  const a = body.indexOf(' ');
  const b = a < 0 ? -1 : body.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const seq = Number(body.slice(a + 1, b));
  return Number.isInteger(seq) && seq >= 0 ? { id: body.slice(0, a), seq } : undefined;
}

/** Like parseSeq, for a line as it is on disk (CRI framing still there). */
export function parseDiskLine(line: string): { id: string; seq: number } | undefined {
  const framed = / (?:stdout|stderr) [PF] /.exec(line);
  return parseSeq(framed ? line.slice(framed.index + framed[0].length) : line);
}
