import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { filterConfig } from '../../../../processors/filter/config.ts';
import { createProcessor } from '../../../../processors/filter/worker.ts';
import { testContext } from '../../../support/processor-context.ts';

const rec = (body: string, attributes: LogRecord['attributes']): LogRecord => ({
  timeUnixNano: 0n,
  observedTimeUnixNano: 0n,
  severityNumber: 9,
  severityText: '',
  body,
  attributes,
});

function run(options: unknown, records: LogRecord[]) {
  const ctx = testContext('filter');
  const batch = { resource: {}, scope: { name: 'm' }, records };
  createProcessor(filterConfig.parse(options), ctx)(batch);
  return { bodies: batch.records.map((r) => r.body), dropped: ctx.counts.get('dropped') ?? 0 };
}

const records = () => [
  rec('labelled', { 'mesh.direction': 'inbound' }),
  rec('missing', { 'meshtail.labels.missing': ['user.id'] }),
  rec('denied', { 'http.response.status_code': 403 }),
];

describe('filter', () => {
  it('routes records apart: drop_when and keep_when on the same condition are complements', () => {
    const cond = [{ attribute: 'meshtail.labels.missing', exists: true }];
    expect(run({ drop_when: cond }, records())).toEqual({ bodies: ['labelled', 'denied'], dropped: 1 });
    expect(run({ keep_when: cond }, records())).toEqual({ bodies: ['missing'], dropped: 2 });
  });

  it('matches by value, and keeps everything with no conditions', () => {
    expect(
      run({ keep_when: [{ attribute: 'http.response.status_code', equals: 403 }] }, records()).bodies,
    ).toEqual(['denied']);
    expect(run({}, records())).toEqual({ bodies: ['labelled', 'missing', 'denied'], dropped: 0 });
  });

  it('a condition with neither exists nor equals matches nothing', () => {
    expect(run({ drop_when: [{ attribute: 'mesh.direction' }] }, records()).dropped).toBe(0);
  });
});
