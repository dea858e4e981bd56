// The webhook signature: `X-Meshtail-Signature: t=<unix seconds>,n=<nonce, 32 hex>,v1=<hex>` where
// v1 = HMAC-SHA256(secret, "<t>.<n>.<raw body>"). The timestamp bounds how long a captured call
// stays valid (WINDOW_SECONDS either way), and the nonce, remembered by the receiver for that
// window, refuses a replay inside it. verifyWebhookSignature is the receiver's side.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-meshtail-signature';
/** How far a call's timestamp may be from the receiver's clock, in seconds, either way. */
export const WINDOW_SECONDS = 300;
const HEADER_PATTERN = /^t=(\d{1,12}),n=([0-9a-f]{32}),v1=([0-9a-f]{64})$/;

export function signWebhook(
  secret: string,
  body: string,
  nowMs: number = Date.now(),
  nonce: string = randomBytes(16).toString('hex'),
): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},n=${nonce},v1=${mac(secret, t, nonce, body)}`;
}

/** Nonces seen within the window; an entry is forgotten once its timestamp is out of the window. */
export class NonceCache {
  readonly #seen = new Map<string, number>();

  /** False when `nonce` was seen already (a replay). */
  remember(nonce: string, t: number, nowSeconds: number): boolean {
    for (const [n, at] of this.#seen) if (Math.abs(nowSeconds - at) > WINDOW_SECONDS) this.#seen.delete(n);
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, t);
    return true;
  }
}

export type Verification = { ok: true } | { ok: false; reason: string };

/**
 * Checks a call: the header's form, the MAC over timestamp, nonce and the raw body (constant
 * time), the timestamp within WINDOW_SECONDS of `nowMs`, and the nonce not seen before in `nonces`.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nonces: NonceCache,
  nowMs: number = Date.now(),
): Verification {
  const m = HEADER_PATTERN.exec(header ?? '');
  if (!m) return { ok: false, reason: 'no signature of the form t=<seconds>,n=<nonce>,v1=<hmac>' };
  const t = Number(m[1]);
  const nonce = m[2]!;
  const expected = Buffer.from(mac(secret, t, nonce, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(m[3]!, 'hex'))) return { ok: false, reason: 'bad signature' };
  const now = Math.floor(nowMs / 1000);
  if (Math.abs(now - t) > WINDOW_SECONDS) return { ok: false, reason: 'timestamp outside the window' };
  if (!nonces.remember(nonce, t, now)) return { ok: false, reason: 'nonce already used (a replay)' };
  return { ok: true };
}

function mac(secret: string, t: number, nonce: string, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${nonce}.`).update(body).digest('hex');
}
