// alertmanager options: where alerts go, how often a firing alert is re-sent, and an optional signed
// webhook. timeout, sending_queue and retry_on_failure are the exporter helper's.
import { duration, options, z } from '../../agent/kit/config/schema.ts';
import { exporterHelperOptions } from '../../agent/kit/exporter-helper/exporter-options.ts';

const url = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

export const alertmanagerConfig = options({
  endpoint: url
    .default('http://localhost:9093')
    .describe('Alertmanager base URL; alerts are POSTed to /api/v2/alerts under it.'),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'HTTP headers sent with every request (e.g. a bearer token from the environment). Never logged.',
    ),
  resend_interval: duration('1m').describe(
    "How often firing alerts are sent again, so Alertmanager's resolve_timeout does not end them.",
  ),
  webhook: options({
    endpoint: url.describe('URL that receives the same alerts as a JSON array.'),
    secret: z
      .string()
      .min(1)
      .describe(
        'HMAC-SHA256 key: each call is signed in the X-Meshtail-Signature header as t=<unix seconds>,n=<nonce>,v1=<hex of HMAC over "<t>.<n>.<body>">.',
      ),
  })
    .optional()
    .describe('A second, signed webhook receiving every alert sent to Alertmanager.'),
  ...exporterHelperOptions,
});

export type AlertmanagerConfig = z.output<typeof alertmanagerConfig>;
