// How an OTLP/HTTP response maps to a send result, per the OTLP specification ("OTLP/HTTP
// Response"): retry exactly 429, 502, 503 and 504, honouring Retry-After; any other non-2xx is
// permanent; a 2xx body may carry partial_success.

import { resultFromResponse } from '../../agent/kit/otlp/response.ts';
import { permanent, retryable, type SendResult } from '../../agent/kit/retry/send-result.ts';
import { parseRetryAfter } from './retry-after.ts';

const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_ERROR_TEXT = 200;

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export function resultFromHttpResponse(res: HttpResponse, requestEncoding: 'proto' | 'json'): SendResult {
  const contentType = String(res.headers['content-type'] ?? '');
  if (res.status >= 200 && res.status < 300) {
    const encoding = contentType.includes('json')
      ? 'json'
      : contentType.includes('protobuf')
        ? 'proto'
        : requestEncoding;
    return resultFromResponse(res.body, encoding);
  }
  const error = `HTTP ${res.status}${describeBody(res.body, contentType)}`;
  if (!RETRYABLE.has(res.status)) return permanent(error);
  const after = res.headers['retry-after'];
  return retryable(error, parseRetryAfter(Array.isArray(after) ? after[0] : after));
}

/** The server's own words, when it sent text; protobuf Status bodies are not worth decoding for a log line. */
function describeBody(body: Uint8Array, contentType: string): string {
  if (body.length === 0 || !/json|text/.test(contentType)) return '';
  const text = new TextDecoder().decode(body.subarray(0, MAX_ERROR_TEXT)).replace(/\s+/g, ' ').trim();
  return text ? `: ${text}` : '';
}
