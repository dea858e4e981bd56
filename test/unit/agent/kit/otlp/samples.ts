// Sample batches in meshtail's record model, covering every AttributeValue kind, optional fields
// present and absent, and strings long enough to need multi-byte length prefixes.
import type {
  Attributes,
  ResourceLogs,
  ResourceMetrics,
  ResourceSpans,
} from '../../../../../agent/kit/record/record.ts';

const T0 = 1_760_000_000_123_456_789n;
const id = (n: number, len: number) =>
  Uint8Array.from({ length: len }, (_, k) => (n * 37 + k * 11 + 1) & 0xff);

/** Every kind the SDK can express too (no bigint: the SDK has none). */
export const ALL_KINDS: Attributes = {
  'http.request.method': 'GET',
  empty: '',
  unicode: 'grüße, 世界 😀',
  long: 'x'.repeat(300),
  'http.response.status_code': 503,
  zero: 0,
  negative: -42,
  large: 2 ** 40 + 3,
  beyondInt64: 1e20,
  ratio: 0.25,
  'mesh.mtls': true,
  off: false,
  raw: Uint8Array.of(0, 1, 254, 255),
  'envoy.response_flags': ['UF', 'URX'],
  mixed: ['a', 1, 2.5, true, null, [1, 2]],
  nested: { kvlist: { 'user.id': 'u-1', depth: { kvlist: { n: 7 } } } },
  nothing: null,
};

export const RESOURCE: Attributes = {
  'service.name': 'orders',
  'k8s.namespace.name': 'shop',
  'k8s.pod.uid': 'a-b',
};

export function sampleLogs(): ResourceLogs[] {
  return [
    {
      resource: RESOURCE,
      scope: { name: 'meshtail', version: '0.1.0' },
      records: [
        {
          timeUnixNano: T0,
          observedTimeUnixNano: T0 + 5n,
          severityNumber: 9,
          severityText: 'INFO',
          body: '[2025-10-09T08:53:20.123Z] "GET /api/v1/orders/42 HTTP/1.1" 200 - via_upstream '.repeat(3),
          attributes: ALL_KINDS,
          traceId: id(1, 16),
          spanId: id(2, 8),
          flags: 1,
          eventName: 'access',
        },
        {
          timeUnixNano: 0n,
          observedTimeUnixNano: T0,
          severityNumber: 0,
          severityText: '',
          body: null,
          attributes: {},
        },
        {
          timeUnixNano: T0 + 1000n,
          observedTimeUnixNano: T0 + 1001n,
          severityNumber: 17,
          severityText: 'ERROR',
          body: { kvlist: { msg: 'upstream reset', code: 503 } },
          attributes: { 'meshtail.parse.error': 'unterminated quote' },
          traceId: id(3, 16),
          spanId: id(4, 8),
        },
      ],
    },
    {
      resource: { 'service.name': 'payments' },
      scope: { name: 'meshtail' },
      records: [
        {
          timeUnixNano: T0,
          observedTimeUnixNano: T0,
          severityNumber: 5,
          severityText: 'DEBUG',
          body: 'ok',
          attributes: { n: 1 },
        },
      ],
    },
  ];
}

export function sampleSpans(withLinks: boolean): ResourceSpans[] {
  const links = withLinks
    ? [{ traceId: id(9, 16), spanId: id(10, 8), traceState: 'k=v', attributes: { 'link.kind': 'follows' } }]
    : [];
  return [
    {
      resource: RESOURCE,
      scope: { name: 'meshtail', version: '0.1.0' },
      spans: [
        {
          traceId: id(5, 16),
          spanId: id(6, 8),
          traceState: 'vendor=abc',
          parentSpanId: id(7, 8),
          flags: 0x301,
          name: 'GET /api/v1/orders/{id}',
          kind: 2,
          startTimeUnixNano: T0,
          endTimeUnixNano: T0 + 12_345_678n,
          attributes: ALL_KINDS,
          events: [{ timeUnixNano: T0 + 10n, name: 'retry', attributes: { attempt: 2 } }],
          links,
          status: { code: 2, message: 'upstream connect error' },
        },
        {
          traceId: id(5, 16),
          spanId: id(8, 8),
          flags: 0x100,
          name: 'root',
          kind: 1,
          startTimeUnixNano: T0,
          endTimeUnixNano: T0 + 1n,
          attributes: {},
          events: [],
          links: [],
          status: { code: 0 },
        },
      ],
    },
  ];
}

const point = {
  attributes: { 'http.response.status_code': 200 },
  startTimeUnixNano: T0,
  timeUnixNano: T0 + 60n,
};

export function sampleMetrics(): ResourceMetrics[] {
  return [
    {
      resource: RESOURCE,
      scope: { name: 'meshtail', version: '0.1.0' },
      metrics: [
        {
          name: 'requests',
          description: 'Requests seen',
          unit: '{request}',
          type: 'sum',
          temporality: 2,
          monotonic: true,
          points: [
            { ...point, value: 1234, asInt: true },
            { ...point, attributes: {}, value: -7, asInt: true },
          ],
        },
        {
          name: 'inflight',
          type: 'gauge',
          points: [
            { ...point, value: 0.5 },
            { ...point, value: 3 },
          ],
        },
        { name: 'delta', type: 'sum', temporality: 1, monotonic: false, points: [{ ...point, value: -2.5 }] },
        {
          name: 'duration',
          unit: 'ms',
          type: 'histogram',
          temporality: 1,
          points: [
            {
              ...point,
              count: 6,
              sum: 123.5,
              bucketCounts: [1, 2, 3],
              explicitBounds: [10, 100],
              min: 0.5,
              max: 99,
            },
            { ...point, count: 0, bucketCounts: [], explicitBounds: [] },
          ],
        },
        {
          name: 'size',
          type: 'exponential_histogram',
          temporality: 2,
          points: [
            {
              ...point,
              count: 5,
              sum: 40,
              scale: 3,
              zeroCount: 1,
              positive: { offset: -2, bucketCounts: [1, 300] },
              negative: { offset: 0, bucketCounts: [] },
              min: 0,
              max: 20,
            },
            {
              ...point,
              count: 2,
              scale: 0,
              zeroCount: 0,
              positive: { offset: 5, bucketCounts: [] },
              negative: { offset: 0, bucketCounts: [2] },
            },
          ],
        },
      ],
    },
  ];
}
