// Runs in the worker threads: per record, the values of the configured fields are sealed into ONE
// AES-256-GCM ciphertext, and joinable identifiers are replaced by HMAC pseudonyms; the body (which
// repeats them) keeps its text with those values replaced (body: in_place, body-cover.ts) or is
// sealed whole (with_fields, always, or where in_place cannot replace safely). A record with none
// of those fields costs a few property lookups and no crypto.
// One GCM call per bundle, not per field: a call is nearly all setup (cipher object, tag), ~9 µs
// of CPU on the 2-vCPU bench machine under load whatever its size, so 4 fields sealed one call
// each cost 3.7x one bundle of the same 4 (bench/encrypt.bench.ts, bench/RESULTS.md).
// Fail-closed: with no key (or if sealing throws) the fields are removed, never passed in clear.
// Per-tenant mode (the keyring has recipients): each record is sealed under its batch's data key
// for its tenant, wrapped once per batch and tenant for the tenant's recipient (or the default
// recipient's), `enc:v3`; the node holds no key that opens it.
import { createSecretKey, type KeyObject, randomFillSync } from 'node:crypto';
import { LOG_FORMAT_ATTRIBUTE, TENANT_ATTRIBUTE } from '../../agent/kit/attributes.ts';
import { anyValueJson, pseudonymInput } from '../../agent/kit/keyring/any-value.ts';
import { BODY_SPANS_FIELD } from '../../agent/kit/keyring/body-spans.ts';
import {
  associatedDataV2,
  associatedDataV3,
  BODY_FIELD,
  ENCRYPTED_ATTRIBUTE,
  ENCRYPTED_FIELDS_ATTRIBUTE,
  ENVELOPE_V2_PREFIX,
  ENVELOPE_V3_PREFIX,
  FILE_PATH_ATTRIBUTE,
  NONCE_BYTES,
  REQUEST_ID_ATTRIBUTE,
  type RecordBinding,
  seal,
} from '../../agent/kit/keyring/envelope.ts';
import type { KeyringState } from '../../agent/kit/keyring/keyring.ts';
import { wrapNewDataKey } from '../../agent/kit/keyring/recipient.ts';
import { x25519PublicKey } from '../../agent/kit/keyring/x25519-keys.ts';
import type { Attributes, AttributeValue, LogRecord } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import { type BodyValue, coverBody, SEALED_MARKER } from './body-cover.ts';
import type { EncryptConfig } from './config.ts';
import { PSEUDONYM_PREFIX, pseudonym, pseudonymKey } from './pseudonym.ts';
import { type Covered, coverPseudonyms } from './pseudonym-cover.ts';

export const ERROR_ATTRIBUTE = 'meshtail.encrypt.error';
/**
 * Pseudonyms of recent values, per worker and key: user ids and client addresses repeat, and one
 * HMAC costs ~2-4 µs (createHmac + digest, bench/encrypt.bench.ts). Cleared when full or rotated.
 */
const PSEUDONYM_CACHE = 8192;
/** Nonces are drawn from the CSPRNG in blocks: one randomFillSync per 512 records, not one per record. */
const NONCES_PER_FILL = 512;

interface ActiveKey {
  kid: string;
  key: KeyObject;
  pseudonymKey: KeyObject;
}

/** Where a bundle is sealed: the key, the envelope's head (`enc:v2:<kid>` or `enc:v3:<kid>:<wrapped>`). */
interface SealTarget {
  kid: string;
  key: KeyObject;
  head: string;
  v3: boolean;
}

type Recipients = Map<string, { kid: string; key: KeyObject }>;

export function createProcessor(cfg: EncryptConfig, context: ProcessorContext): ProcessLogs {
  const sealed = cfg.fields;
  const pseudo = cfg.pseudonymize;
  const recoverable = cfg.recoverable_pseudonyms;
  const nonces = Buffer.alloc(NONCE_BYTES * NONCES_PER_FILL);
  let next = NONCES_PER_FILL;
  let seen: KeyringState | undefined;
  let active: ActiveKey | undefined;
  let recipients: Recipients | undefined;
  /** Per batch: the data key of each tenant, made at its first record. */
  const batchKeys = new Map<string, SealTarget | undefined>();
  /** Per batch: records whose body was sealed whole under body: in_place, by reason. */
  const bodySealed = new Map<string, number>();
  const sealedSet = new Set(sealed);
  const inPlaceFormats = new Set(cfg.in_place_formats);
  // Never covered: the bundle, and the tenant (it routes the record and picks its recipient).
  const pseudoSet = new Set<string>([
    ...pseudo,
    ENCRYPTED_ATTRIBUTE,
    ENCRYPTED_FIELDS_ATTRIBUTE,
    TENANT_ATTRIBUTE,
  ]);
  const cache = new Map<string, string>();
  // The last value before the Map: a record's values are fresh strings (hashed at their first Map
  // lookup), and a pod's lines often repeat the caller's address back to back.
  let lastInput: string | undefined;
  let lastPseudonym = '';
  const pseudonymOf = (k: ActiveKey, v: AttributeValue): string => {
    const input = pseudonymInput(v);
    if (input === lastInput) return lastPseudonym;
    let p = cache.get(input);
    if (p === undefined) {
      if (cache.size >= PSEUDONYM_CACHE) cache.clear();
      p = pseudonym(k.kid, k.pseudonymKey, input);
      cache.set(input, p);
    }
    lastInput = input;
    lastPseudonym = p;
    return p;
  };

  const nonce = () => {
    if (next === NONCES_PER_FILL) {
      randomFillSync(nonces);
      next = 0;
    }
    const n = nonces.subarray(next * NONCE_BYTES, (next + 1) * NONCE_BYTES);
    next++;
    return n;
  };

  const targetOf = (k: ActiveKey, tenant: string): SealTarget | undefined => {
    if (!recipients) return { kid: k.kid, key: k.key, head: `${ENVELOPE_V2_PREFIX}${k.kid}`, v3: false };
    let t = batchKeys.get(tenant);
    if (t === undefined && !batchKeys.has(tenant)) {
      const r = recipients.get(tenant) ?? recipients.get('');
      if (r) {
        const { dataKey, wrapped } = wrapNewDataKey(r.kid, recipients.has(tenant) ? tenant : '', r.key);
        t = {
          kid: r.kid,
          key: createSecretKey(dataKey),
          head: `${ENVELOPE_V3_PREFIX}${r.kid}:${wrapped.toString('base64')}`,
          v3: true,
        };
      }
      batchKeys.set(tenant, t);
    }
    return t;
  };

  /** Returns the number of fields pseudonymised, or -1 when the record was left without its fields. */
  const protect = (r: LogRecord, k: ActiveKey | undefined): number => {
    const a = r.attributes;
    let present = 0;
    for (const f of sealed) if (a[f] !== undefined) present++;
    for (const f of pseudo) if (a[f] !== undefined && !isPseudonym(a[f])) present++;
    let withBody = r.body !== null && (cfg.body === 'always' || (cfg.body === 'with_fields' && present > 0));
    if (present === 0 && !withBody) return 0;
    const inPlace = cfg.body === 'in_place' && r.body !== null && present > 0;
    // Until the body is covered or sealed, a failure must not leave it in clear.
    if (inPlace) withBody = true;
    if (!k) return failClosed(r, withBody, 'no active key');
    const tenant = a[TENANT_ATTRIBUTE];
    const tenantName = typeof tenant === 'string' ? tenant : '';
    const target = targetOf(k, tenantName);
    if (!target) return failClosed(r, withBody, 'no recipient for the tenant');
    const names: string[] = [];
    const plain: unknown[] = [];
    // body: in_place: what to replace in the body; a value that is not a string seals the body.
    const inBody: BodyValue[] | undefined = inPlace ? [] : undefined;
    let bodyReason: string | undefined;
    if (inPlace) {
      const format = a[LOG_FORMAT_ATTRIBUTE];
      if (typeof r.body !== 'string') bodyReason = 'not_string';
      else if (typeof format !== 'string' || !inPlaceFormats.has(format)) bodyReason = 'format';
    }
    for (const f of sealed) {
      const v = a[f];
      if (v === undefined) continue;
      if (inBody && bodyReason === undefined) {
        if (typeof v === 'string')
          inBody.push({ value: v, text: SEALED_MARKER, field: names.length, token: false });
        else bodyReason = 'not_string';
      }
      names.push(f);
      plain.push(anyValueJson(v));
    }
    const removed = names.length;
    let pseudonyms = 0;
    const covered: Covered[] = [];
    for (const f of pseudo) {
      const v = a[f];
      if (v === undefined || isPseudonym(v) || sealedSet.has(f)) continue;
      const field = recoverable ? names.length : -1;
      if (recoverable) {
        names.push(f);
        plain.push(anyValueJson(v));
      }
      const p = pseudonymOf(k, v);
      a[f] = p;
      if (typeof v === 'string') {
        covered.push({ value: v, pseudonym: p });
        if (inBody && bodyReason === undefined) inBody.push({ value: v, text: p, field, token: true });
      } else if (inBody) bodyReason = 'not_string';
      pseudonyms++;
    }
    let binding: RecordBinding | undefined;
    if (inBody && bodyReason === undefined) {
      const c = coverBody(r.body as string, inBody);
      if (c.ok) {
        withBody = false;
        r.body = c.body;
        names.push(BODY_SPANS_FIELD);
        plain.push({ stringValue: c.spans });
        binding = { time: '', requestId: '', file: '', body: c.body };
      } else bodyReason = c.reason;
    }
    if (bodyReason !== undefined) bodySealed.set(bodyReason, (bodySealed.get(bodyReason) ?? 0) + 1);
    if (withBody) {
      names.push(BODY_FIELD);
      plain.push(anyValueJson(r.body));
    }
    if (names.length === 0) {
      coverPseudonyms(r, covered, pseudoSet);
      return pseudonyms;
    }
    // A record sealed by an earlier encrypt processor: its envelope goes inside this one.
    if (a[ENCRYPTED_ATTRIBUTE] !== undefined)
      for (const f of [ENCRYPTED_ATTRIBUTE, ENCRYPTED_FIELDS_ATTRIBUTE]) {
        names.push(f);
        plain.push(anyValueJson(a[f] ?? null));
      }
    for (let i = 0; i < removed; i++) delete a[names[i]!];
    if (withBody) r.body = null;
    // The sealed copies keep the originals; what stays in clear gets the pseudonyms, and the
    // binding is read from what stays in clear, as decrypt will read it.
    coverPseudonyms(r, covered, pseudoSet, binding === undefined);
    binding ??= { time: '', requestId: '', file: '' };
    binding.time = String(r.timeUnixNano);
    binding.requestId = stringAttr(a[REQUEST_ID_ATTRIBUTE]);
    binding.file = stringAttr(a[FILE_PATH_ATTRIBUTE]);
    const aad = (target.v3 ? associatedDataV3 : associatedDataV2)(target.kid, tenantName, names, binding);
    const bundle = seal(target.head, target.key, nonce(), JSON.stringify(plain), aad, '');
    // Literal keys (named stores): a computed-key store that adds a property turns a record's ~37
    // attributes into a dictionary (V8's limit for keyed adds is 12 out-of-object properties), and
    // every later read and the encoder's walk of a dictionary cost more (bench/RESULTS.md, session 30).
    a['meshtail.encrypted' satisfies typeof ENCRYPTED_ATTRIBUTE] = bundle;
    a['meshtail.encrypted.fields' satisfies typeof ENCRYPTED_FIELDS_ATTRIBUTE] = names;
    return pseudonyms;
  };

  const failClosed = (r: LogRecord, withBody: boolean, reason: string): number => {
    removeSensitive(r.attributes, sealed, pseudo);
    if (withBody) r.body = null;
    r.attributes[ERROR_ATTRIBUTE] = reason;
    return -1;
  };

  return (batch) => {
    const state = context.state?.current() as KeyringState | undefined;
    if (state !== seen) {
      seen = state;
      active = state ? activeKeyOf(state) : undefined;
      recipients = state?.recipients ? recipientsOf(state.recipients) : undefined;
      cache.clear();
      lastInput = undefined;
    }
    batchKeys.clear();
    bodySealed.clear();
    let inPlaceRecords = 0;
    let sealedRecords = 0;
    let pseudonymised = 0;
    let failed = 0;
    for (const r of batch.records) {
      const before = r.attributes[ENCRYPTED_ATTRIBUTE];
      let n: number;
      try {
        n = protect(r, active);
      } catch {
        n = failClosed(r, r.body !== null, 'encryption failed');
      }
      if (n < 0) failed++;
      else {
        pseudonymised += n;
        if (r.attributes[ENCRYPTED_ATTRIBUTE] !== before) {
          sealedRecords++;
          if (cfg.body === 'in_place' && r.body !== null) inPlaceRecords++;
        }
      }
    }
    if (sealedRecords > 0) context.count('sealed', sealedRecords);
    if (pseudonymised > 0) context.count('pseudonymized', pseudonymised);
    if (failed > 0) context.count(active ? 'failed' : 'no_key', failed);
    if (inPlaceRecords > 0) context.count('body_in_place', inPlaceRecords);
    for (const [reason, n] of bodySealed) context.count(`body_sealed_${reason}`, n);
  };
}

function activeKeyOf(state: KeyringState): ActiveKey | undefined {
  const b64 = state.keys[state.active];
  if (!b64) return undefined;
  const raw = Buffer.from(b64, 'base64');
  return { kid: state.active, key: createSecretKey(raw), pseudonymKey: pseudonymKey(raw) };
}

function recipientsOf(r: NonNullable<KeyringState['recipients']>): Recipients {
  const out: Recipients = new Map();
  for (const [tenant, { kid, key }] of Object.entries(r))
    out.set(tenant, { kid, key: x25519PublicKey(Buffer.from(key, 'base64')) });
  return out;
}

function stringAttr(v: AttributeValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function isPseudonym(v: AttributeValue | undefined): boolean {
  return typeof v === 'string' && v.startsWith(PSEUDONYM_PREFIX);
}

function removeSensitive(a: Attributes, sealed: readonly string[], pseudo: readonly string[]): void {
  for (const f of sealed) delete a[f];
  for (const f of pseudo) if (!isPseudonym(a[f])) delete a[f];
}
