// The small pieces: config defaults and validation, pod name → workload, timestamps, format compile.
import { describe, expect, it } from 'vitest';
import { BUILTIN_FORMAT_NAMES, BUILTIN_FORMATS } from '../../../../processors/mesh_parse/builtin-formats.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { compileTextFormat } from '../../../../processors/mesh_parse/envoy-format.ts';
import { meshParseFactory } from '../../../../processors/mesh_parse/factory.ts';
import { parseTimestampNs } from '../../../../processors/mesh_parse/timestamp.ts';
import { workloadOfPod } from '../../../../processors/mesh_parse/workload-name.ts';

describe('mesh_parse config', () => {
  it('defaults to every built-in format and no user sources', () => {
    const c = meshParseConfig.parse({});
    expect(c.builtin_formats).toEqual([...BUILTIN_FORMAT_NAMES]);
    expect(c).toMatchObject({ formats: [], user_id: { from: [] }, required: [] });
    expect(meshParseFactory.type).toBe('mesh_parse');
    expect(meshParseFactory.workerModule).toMatch(/mesh_parse\/worker\.ts$/);
  });

  it('rejects unknown keys, unknown formats and malformed sources', () => {
    expect(meshParseConfig.safeParse({ formatz: [] }).success).toBe(false);
    expect(meshParseConfig.safeParse({ builtin_formats: ['istio_0_9'] }).success).toBe(false);
    expect(meshParseConfig.safeParse({ user_id: { from: [{ cookie: 'x' }] } }).success).toBe(false);
    expect(
      meshParseConfig.safeParse({ formats: [{ name: 'Bad Name', format: '%START_TIME%' }] }).success,
    ).toBe(false);
    const ok = meshParseConfig.parse({ user_id: { from: [{ jwt_claims_header: 'x-jwt-payload' }] } });
    expect(ok.user_id.from[0]).toEqual({ jwt_claims_header: 'x-jwt-payload', claim: 'sub' });
  });
});

describe('workloadOfPod', () => {
  it.each([
    ['reviews-v2-5b4b7c8d9f-x2x9k', 'reviews-v2'],
    ['productpage-v1-54bb874995-kzpnw', 'productpage-v1'],
    ['node-agent-x7k2p', 'node-agent'],
    ['zookeeper-2', 'zookeeper'],
    ['my-job-28512345-q8z4d', 'my-job-28512345'],
    ['standalone', 'standalone'],
  ])('%s → %s', (pod, workload) => expect(workloadOfPod(pod)).toBe(workload));
});

describe('parseTimestampNs', () => {
  it.each([
    ['2016-04-15T20:17:00.310Z', 1460751420310000000n],
    ['2022-08-23T20:28:20.071809491Z', 1661286500071809491n],
    ['2024-11-11T11:11:11.111111Z', 1731323471111111000n],
    ['2024-11-11T12:11:11+01:00', 1731323471000000000n],
    ['2024-11-11 11:11:11.5', 1731323471500000000n],
  ])('%s', (s, ns) => expect(parseTimestampNs(s)).toBe(ns));
  it('rejects what is not a timestamp', () => {
    for (const s of ['-', '[0.002s]', '2024-13-99', 'yesterday at noon'])
      expect(parseTimestampNs(s)).toBeUndefined();
  });
});

describe('compileTextFormat', () => {
  it('gives each built-in format a pattern no other built-in format line matches by accident', () => {
    const formats = BUILTIN_FORMAT_NAMES.map((n) => compileTextFormat(n, BUILTIN_FORMATS[n]));
    expect(new Set(formats.map((f) => f.strict.source)).size).toBe(formats.length);
  });
  it('reads operators with arguments, widths and nested parentheses', () => {
    const f = compileTextFormat(
      'x',
      '%START_TIME(%Y/%m/%d)% %REQ(USER-AGENT):10% %DYNAMIC_METADATA(a.b:c:d)% %FOO%',
    );
    expect(f.keys).toEqual(['start_time', 'user_agent', 'dm:a.b:c.d', 'op:foo']);
  });
});
