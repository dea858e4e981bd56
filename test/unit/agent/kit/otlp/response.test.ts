import { describe, expect, it } from 'vitest';
import {
  partialSuccessFromJson,
  partialSuccessFromProto,
  resultFromResponse,
} from '../../../../../agent/kit/otlp/response.ts';
import { retryDelayFromStatusDetails } from '../../../../../exporters/otlp_grpc/status-details.ts';
import { parseRetryAfter } from '../../../../../exporters/otlp_http/retry-after.ts';
import { partialSuccessResponse, rpcStatus } from '../../../exporters/proto-test-writer.ts';

describe('Export*ServiceResponse partial_success', () => {
  it('decodes protobuf, ignoring an empty response', () => {
    expect(partialSuccessFromProto(partialSuccessResponse(7, 'too old'))).toEqual({
      rejected: 7,
      message: 'too old',
    });
    expect(partialSuccessFromProto(new Uint8Array())).toBeUndefined();
    expect(partialSuccessFromProto(partialSuccessResponse(0, ''))).toBeUndefined();
  });

  it('decodes OTLP/JSON for each signal, int64 as string or number', () => {
    expect(partialSuccessFromJson('{"partialSuccess":{"rejectedSpans":"3","errorMessage":"x"}}')).toEqual({
      rejected: 3,
      message: 'x',
    });
    expect(partialSuccessFromJson('{"partialSuccess":{"rejectedDataPoints":4}}')).toEqual({
      rejected: 4,
      message: '',
    });
    expect(partialSuccessFromJson('{}')).toBeUndefined();
    expect(partialSuccessFromJson('')).toBeUndefined();
  });

  it('keeps a warning-only partial success (rejected 0, a message) and survives garbage', () => {
    expect(resultFromResponse(partialSuccessResponse(0, 'deprecated field'), 'proto')).toEqual({
      kind: 'success',
      rejected: 0,
      message: 'deprecated field',
    });
    expect(resultFromResponse(new Uint8Array([0xff]), 'proto')).toEqual({ kind: 'success' });
    expect(resultFromResponse(new TextEncoder().encode('not json'), 'json')).toEqual({ kind: 'success' });
  });
});

describe('google.rpc.Status RetryInfo', () => {
  it('reads the retry delay in milliseconds', () => {
    expect(retryDelayFromStatusDetails(rpcStatus(8, 'slow down', 2500))).toBe(2500);
    expect(retryDelayFromStatusDetails(rpcStatus(8, 'no info'))).toBeUndefined();
    expect(retryDelayFromStatusDetails(new Uint8Array([0x1a, 0xff]))).toBeUndefined();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
