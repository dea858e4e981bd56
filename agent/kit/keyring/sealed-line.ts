// A whole line sealed as one envelope (the file exporter's `encryption`): `enc:v1:<kid>:<base64>`,
// the envelope of envelope.ts with associated data ["meshtail-file-v1", kid], so a sealed line and
// a record's sealed bundle can never be passed off as one another. Sealed by the file exporter,
// opened by `meshtail decrypt`; outcomes name the kid, never a value.
import { type KeyObject, randomBytes } from 'node:crypto';
import { ENVELOPE_PREFIX, NONCE_BYTES, openEnvelope, parseEnvelope, seal } from './envelope.ts';

const AAD_LABEL = 'meshtail-file-v1';

export type LineOutcome =
  | { kind: 'clear' }
  | { kind: 'opened'; kid: string; text: string }
  | { kind: 'no_key'; kid: string }
  | { kind: 'failed'; kid: string; reason: string };

export function sealLine(kid: string, key: KeyObject, line: string): string {
  return seal(kid, key, randomBytes(NONCE_BYTES), line, lineAad(kid));
}

/** Opens `line` when it is sealed; a line that is not (`clear`) is for the caller to read as is. */
export function openSealedLine(line: string, keys: ReadonlyMap<string, KeyObject | Uint8Array>): LineOutcome {
  const text = line.trim();
  if (!text.startsWith(ENVELOPE_PREFIX)) return { kind: 'clear' };
  const env = parseEnvelope(text);
  if (!env) return { kind: 'failed', kid: '?', reason: 'the line starts as enc:v1 but is not an envelope' };
  const key = keys.get(env.kid);
  if (!key) return { kind: 'no_key', kid: env.kid };
  const opened = openEnvelope(key, env.blob, lineAad(env.kid));
  if (opened === undefined)
    return {
      kind: 'failed',
      kid: env.kid,
      reason: `the sealed line does not authenticate under key '${env.kid}': a wrong key for this kid, or the line was altered`,
    };
  return { kind: 'opened', kid: env.kid, text: opened };
}

function lineAad(kid: string): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, kid]), 'utf8');
}
