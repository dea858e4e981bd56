// A webhook call is signed over a timestamp, a nonce and the body: a captured call cannot be
// replayed (same nonce inside the window, or any call outside it), altered, or re-signed by
// someone without the secret.
import { describe, expect, it } from 'vitest';
import {
  NonceCache,
  signWebhook,
  verifyWebhookSignature,
  WINDOW_SECONDS,
} from '../../../../exporters/alertmanager/webhook-signature.ts';

const SECRET = 'hook-secret';
const BODY = '[{"labels":{"alertname":"access_denied"}}]';
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('webhook signature', () => {
  it('accepts a fresh call once and refuses its replay', () => {
    const nonces = new NonceCache();
    const header = signWebhook(SECRET, BODY, NOW);
    expect(verifyWebhookSignature(SECRET, header, BODY, nonces, NOW + 1000)).toEqual({ ok: true });
    expect(verifyWebhookSignature(SECRET, header, BODY, nonces, NOW + 2000)).toEqual({
      ok: false,
      reason: 'nonce already used (a replay)',
    });
  });

  it('refuses a call replayed after the window, when its nonce is long forgotten', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    const late = NOW + (WINDOW_SECONDS + 1) * 1000;
    expect(verifyWebhookSignature(SECRET, header, BODY, new NonceCache(), late)).toEqual({
      ok: false,
      reason: 'timestamp outside the window',
    });
    const early = NOW - (WINDOW_SECONDS + 1) * 1000;
    expect(verifyWebhookSignature(SECRET, header, BODY, new NonceCache(), early)).toMatchObject({
      ok: false,
    });
  });

  it('refuses an altered body, a moved timestamp, another nonce, the wrong secret and the old form', () => {
    const nonces = new NonceCache();
    const header = signWebhook(SECRET, BODY, NOW, 'a'.repeat(32));
    const bad = (h: string, body = BODY, secret = SECRET) =>
      verifyWebhookSignature(secret, h, body, nonces, NOW);
    expect(bad(header, `${BODY} `)).toEqual({ ok: false, reason: 'bad signature' });
    expect(bad(header.replace(/^t=\d+/, `t=${NOW / 1000 + 1}`))).toEqual({
      ok: false,
      reason: 'bad signature',
    });
    expect(bad(header.replace(/n=a+/, `n=${'b'.repeat(32)}`))).toEqual({
      ok: false,
      reason: 'bad signature',
    });
    expect(bad(header, BODY, 'other')).toEqual({ ok: false, reason: 'bad signature' });
    expect(bad(`sha256=${'0'.repeat(64)}`)).toMatchObject({ ok: false });
    expect(bad(header)).toEqual({ ok: true });
  });
});
