// Sends anomaly alerts to Alertmanager (POST /api/v2/alerts) and, optionally, to a webhook signed
// with HMAC-SHA256 over a timestamp, a nonce and the body (webhook-signature.ts). Firing alerts are remembered and re-sent every resend_interval until resolved;
// a payload without anomaly records is settled as sent without a request.
import type { Payload } from '../../agent/kit/component.ts';
import type { SendResult, Transport } from '../../agent/kit/exporter-helper/transport.ts';
import { permanent, retryable, SENT } from '../../agent/kit/retry/send-result.ts';
import { type Alert, alertsFromLogsJson } from './alerts.ts';
import type { AlertmanagerConfig } from './config.ts';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.ts';

export { SIGNATURE_HEADER } from './webhook-signature.ts';

/** Alerts remembered while firing; the oldest are dropped past this. */
const MAX_FIRING = 10_000;

export class AlertmanagerTransport implements Transport {
  /** The bytes are parsed into alerts within send(). */
  readonly releasesPayload = true;
  readonly #config: AlertmanagerConfig;
  readonly #url: string;
  readonly #firing = new Map<string, Alert>();
  #timer: NodeJS.Timeout | undefined;

  constructor(config: AlertmanagerConfig) {
    this.#config = config;
    this.#url = `${config.endpoint.replace(/\/+$/, '')}/api/v2/alerts`;
  }

  get firing(): number {
    return this.#firing.size;
  }

  async start(): Promise<void> {
    if (this.#config.resend_interval > 0) {
      this.#timer = setInterval(() => void this.resend(), this.#config.resend_interval);
      this.#timer.unref();
    }
  }

  /** Sends every firing alert again; failures wait for the next interval. */
  async resend(): Promise<void> {
    if (this.#firing.size === 0) return;
    const signal = AbortSignal.timeout(this.#config.timeout || 30_000);
    await this.#post([...this.#firing.values()], signal).catch(() => undefined);
  }

  async send(payload: Payload, signal: AbortSignal): Promise<SendResult> {
    if (payload.signal !== 'logs') return SENT;
    let changes: ReturnType<typeof alertsFromLogsJson>;
    try {
      changes = alertsFromLogsJson(payload.bytes);
    } catch (err) {
      return permanent(`not OTLP/JSON logs: ${(err as Error).message}`);
    }
    if (changes.length === 0) return SENT;
    for (const c of changes) {
      if (c.resolved) this.#firing.delete(c.id);
      else {
        this.#firing.delete(c.id);
        this.#firing.set(c.id, c.alert);
        if (this.#firing.size > MAX_FIRING) this.#firing.delete(this.#firing.keys().next().value as string);
      }
    }
    return this.#post(
      changes.map((c) => c.alert),
      signal,
    );
  }

  async #post(alerts: Alert[], signal: AbortSignal): Promise<SendResult> {
    const body = JSON.stringify(alerts);
    const am = await postJson(this.#url, body, { ...this.#config.headers }, signal);
    if (am.kind !== 'success') return am;
    const hook = this.#config.webhook;
    if (!hook) return am;
    return postJson(hook.endpoint, body, { [SIGNATURE_HEADER]: signWebhook(hook.secret, body) }, signal);
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
  }
}

async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      signal,
    });
  } catch (err) {
    return retryable(`${new URL(url).origin}: ${(err as Error).message}`);
  }
  await res.body?.cancel();
  if (res.ok) return SENT;
  const error = `${new URL(url).origin}: HTTP ${res.status}`;
  return res.status === 429 || res.status >= 500 ? retryable(error) : permanent(error);
}
