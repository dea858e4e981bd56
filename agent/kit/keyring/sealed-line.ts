// A whole line sealed as one envelope (the file exporter's `encryption`). v2 lines form a chain:
// `enc:v2:<kid>:<chain>:<seq>:<base64(nonce | ciphertext | tag)>`, with associated data
// ["meshtail-file-v2", kid, chain, seq, previous line's tag]. The chain id is drawn when the
// exporter starts a file, seq counts from 0 in it, and each line binds the tag of the one before:
// a line deleted, duplicated, reordered or moved from another file breaks the chain at the line
// after, which decrypt names. Not detected: lines cut from the end of a chain (there is no trailer).
// v1 lines (`enc:v1:<kid>:<base64>`, ["meshtail-file-v1", kid]) are still opened, unchained.
// v3 lines (per-tenant sealing) chain the same way under a data key wrapped for the payload's
// tenant (recipient.ts): `enc:v3:<kid>:<chain>:<seq>:<base64(wrapped key)>:<base64(blob)>`,
// associated data ["meshtail-file-v3", kid, chain, seq, previous line's tag].
// A sealed line and a record's bundle can never be passed off as one another (their labels differ).
// Outcomes name the kid and the position, never a value.
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import {
  ENVELOPE_PREFIX,
  ENVELOPE_V2_PREFIX,
  ENVELOPE_V3_PREFIX,
  NONCE_BYTES,
  openEnvelope,
  parseEnvelope,
  seal,
  tagOf,
} from './envelope.ts';
import type { OpeningKeys } from './opening-keys.ts';
import { wrapNewDataKey } from './recipient.ts';

const AAD_LABEL = 'meshtail-file-v1';
const AAD_LABEL_V2 = 'meshtail-file-v2';
const AAD_LABEL_V3 = 'meshtail-file-v3';
const CHAIN_PATTERN = /^[0-9a-f]{16}$/;

export type LineOutcome =
  | { kind: 'clear' }
  | { kind: 'opened'; kid: string; text: string }
  | { kind: 'no_key'; kid: string }
  | { kind: 'failed'; kid: string; reason: string };

/** The sealing side of one file's chain: restart it when a new file starts. */
export class LineChain {
  #chain = newChainId();
  #seq = 0;
  #previous = '';

  restart(): void {
    this.#chain = newChainId();
    this.#seq = 0;
    this.#previous = '';
  }

  /** A v3 line: a new data key, wrapped for recipient `kid` of `tenant`, seals this line only. */
  sealTo(kid: string, tenant: string, recipient: KeyObject, line: string): string {
    const { dataKey, wrapped } = wrapNewDataKey(kid, tenant, recipient);
    const aad = lineAad3(kid, this.#chain, this.#seq, this.#previous);
    const sealed = seal(kid, createSecretKey(dataKey), randomBytes(NONCE_BYTES), line, aad, '');
    const b64 = sealed.slice(kid.length + 1);
    const text = `${ENVELOPE_V3_PREFIX}${kid}:${this.#chain}:${this.#seq}:${wrapped.toString('base64')}:${b64}`;
    this.#previous = tagOf(Buffer.from(b64, 'base64')).toString('base64');
    this.#seq++;
    return text;
  }

  seal(kid: string, key: KeyObject, line: string): string {
    const aad = lineAadV2(kid, this.#chain, this.#seq, this.#previous);
    const sealed = seal(kid, key, randomBytes(NONCE_BYTES), line, aad, `${ENVELOPE_V2_PREFIX}`);
    // seal() wrote `enc:v2:<kid>:<b64>`; the chain position goes between the kid and the blob.
    const b64 = sealed.slice(ENVELOPE_V2_PREFIX.length + kid.length + 1);
    const text = `${ENVELOPE_V2_PREFIX}${kid}:${this.#chain}:${this.#seq}:${b64}`;
    this.#previous = tagOf(Buffer.from(b64, 'base64')).toString('base64');
    this.#seq++;
    return text;
  }
}

/** The reading side: where the previous line left the chain, across the lines of one input. */
export class ChainReader {
  #last: { chain: string; seq: number; tag: string } | undefined;

  /** The tag a line at (chain, seq) must bind, or why it cannot stand here. */
  place(chain: string, seq: number): { ok: true; previous: string } | { ok: false; reason: string } {
    if (seq === 0) return { ok: true, previous: '' };
    const last = this.#last;
    if (last && last.chain === chain && last.seq + 1 === seq) return { ok: true, previous: last.tag };
    const after = last && last.chain === chain ? `line ${last.seq}` : 'no line of its chain';
    return {
      ok: false,
      reason: `line ${seq} of chain ${chain} follows ${after}: a sealed line was deleted, duplicated or reordered`,
    };
  }

  advance(chain: string, seq: number, tag: string): void {
    this.#last = { chain, seq, tag };
  }
}

/** A v1 line, for tests and data written before chains; the exporter writes v2 (LineChain). */
export function sealLine(kid: string, key: KeyObject, line: string): string {
  return seal(kid, key, randomBytes(NONCE_BYTES), line, lineAad(kid), ENVELOPE_PREFIX);
}

/**
 * Opens `line` when it is sealed; a line that is not (`clear`) is for the caller to read as is.
 * `chain` carries the position across calls (one reader per input); without it, v2 lines are opened
 * as if each started a chain, which only a chain's first line does.
 */
export function openSealedLine(
  line: string,
  keys: ReadonlyMap<string, KeyObject | Uint8Array>,
  chain: ChainReader = new ChainReader(),
  opening?: OpeningKeys,
): LineOutcome {
  const text = line.trim();
  if (text.startsWith(ENVELOPE_V3_PREFIX)) return openV3(text, opening, chain);
  if (text.startsWith(ENVELOPE_V2_PREFIX)) return openV2(text, keys, chain);
  if (!text.startsWith(ENVELOPE_PREFIX)) return { kind: 'clear' };
  const env = parseEnvelope(text);
  if (!env) return { kind: 'failed', kid: '?', reason: 'the line starts as enc:v1 but is not an envelope' };
  const key = keys.get(env.kid);
  if (!key) return { kind: 'no_key', kid: env.kid };
  const opened = openEnvelope(key, env.blob, lineAad(env.kid));
  if (opened === undefined) return { kind: 'failed', kid: env.kid, reason: notAuthentic(env.kid) };
  return { kind: 'opened', kid: env.kid, text: opened };
}

function openV2(
  text: string,
  keys: ReadonlyMap<string, KeyObject | Uint8Array>,
  chain: ChainReader,
): LineOutcome {
  const [kid, id, seqText, b64] = text.slice(ENVELOPE_V2_PREFIX.length).split(':');
  const seq = Number(seqText);
  const env =
    kid !== undefined && b64 !== undefined ? parseEnvelope(`${ENVELOPE_V2_PREFIX}${kid}:${b64}`) : undefined;
  if (!env || !id || !CHAIN_PATTERN.test(id) || !/^\d{1,15}$/.test(seqText ?? ''))
    return { kind: 'failed', kid: kid || '?', reason: 'the line starts as enc:v2 but is not a sealed line' };
  const place = chain.place(id, seq);
  // The chain goes on from this line whatever its outcome, so one bad line is reported once.
  chain.advance(id, seq, tagOf(env.blob).toString('base64'));
  if (!place.ok) return { kind: 'failed', kid: env.kid, reason: place.reason };
  const key = keys.get(env.kid);
  if (!key) return { kind: 'no_key', kid: env.kid };
  const opened = openEnvelope(key, env.blob, lineAadV2(env.kid, id, seq, place.previous));
  if (opened === undefined) return { kind: 'failed', kid: env.kid, reason: notAuthentic(env.kid) };
  return { kind: 'opened', kid: env.kid, text: opened };
}

function openV3(text: string, opening: OpeningKeys | undefined, chain: ChainReader): LineOutcome {
  const [kid, id, seqText, wrapped, b64, extra] = text.slice(ENVELOPE_V3_PREFIX.length).split(':');
  const seq = Number(seqText);
  const env =
    kid && wrapped !== undefined && b64 !== undefined && extra === undefined
      ? parseEnvelope(`${ENVELOPE_V3_PREFIX}${kid}:${wrapped}:${b64}`)
      : undefined;
  if (!env || !id || !CHAIN_PATTERN.test(id) || !/^\d{1,15}$/.test(seqText ?? ''))
    return { kind: 'failed', kid: kid || '?', reason: 'the line starts as enc:v3 but is not a sealed line' };
  const place = chain.place(id, seq);
  chain.advance(id, seq, tagOf(env.blob).toString('base64'));
  if (!place.ok) return { kind: 'failed', kid: env.kid, reason: place.reason };
  const data = opening ? opening.dataKey(env.kid, env.wrapped!) : { kind: 'no_key' as const };
  if (data.kind === 'no_key') return { kind: 'no_key', kid: env.kid };
  const opened =
    data.kind === 'ok'
      ? openEnvelope(data.key, env.blob, lineAad3(env.kid, id, seq, place.previous))
      : undefined;
  if (opened === undefined) return { kind: 'failed', kid: env.kid, reason: notAuthentic(env.kid) };
  return { kind: 'opened', kid: env.kid, text: opened };
}

function notAuthentic(kid: string): string {
  return `the sealed line does not authenticate under key '${kid}': a wrong key for this kid, or the line was altered`;
}

function newChainId(): string {
  return randomBytes(8).toString('hex');
}

function lineAad(kid: string): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, kid]), 'utf8');
}

function lineAadV2(kid: string, chain: string, seq: number, previous: string): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL_V2, kid, chain, seq, previous]), 'utf8');
}

function lineAad3(kid: string, chain: string, seq: number, previous: string): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL_V3, kid, chain, seq, previous]), 'utf8');
}
