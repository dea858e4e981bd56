// Routes, not ids: paths are masked and mined into templates per destination before probing counts
// them, so REST traffic over many ids is not a scan, and a real scan (many routes a source never
// used) still is.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { AnomalyEngine } from '../../../../processors/anomaly/engine.ts';
import { maskPath } from '../../../../processors/anomaly/path-mask.ts';
import { TemplateMiner } from '../../../../processors/anomaly/template-miner.ts';
import { aggregateBatch } from '../../../../processors/anomaly/worker.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';
import { accessRecord, mulberry32 } from '../../../support/mesh-traffic.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2, 8, 0, 0);
const DESTS = ['reviews', 'ratings', 'details', 'users', 'orders', 'catalog'];
const WORDS = ['admin', 'login', '.env', 'wp-admin', 'phpmyadmin', 'config', 'backup', 'debug', 'console'];

describe('path masking', () => {
  it('turns ids, UUIDs, hashes, long tokens and emails into placeholders and keeps names', () => {
    expect(maskPath('/api/reviews/8812')).toBe('/api/reviews/{id}');
    expect(maskPath('/api/users/3f2b1c9e-1d2a-4b3c-8d4e-0a1b2c3d4e5f/orders')).toBe('/api/users/{id}/orders');
    expect(maskPath('/blobs/9f86d081884c7d659a2feaa0c55ad015')).toBe('/blobs/{id}');
    expect(maskPath('/users/jane.doe@example.com')).toBe('/users/{email}');
    expect(maskPath('/t/eyJhbGciOiJIUzI1NiJ9abc123')).toBe('/t/{id}');
    expect(maskPath('/api/v1/sku-20931/price')).toBe('/api/v1/{id}/price');
    expect(maskPath('/api/v2/reviews')).toBe('/api/v2/reviews');
  });

  it('mines slugs a rule cannot tell into one template per route, and keeps distinct routes apart', () => {
    const m = new TemplateMiner('/', 256);
    const a = m.learn('/api/products/blue-shirt');
    expect(m.learn('/api/products/red-hat')).toBe(a);
    expect(m.learn('/api/products/green-scarf')).toBe(a);
    expect(m.text(a)).toBe('/api/products/{*}');
    expect(m.learn('/admin')).not.toBe(m.learn('/login'));
    expect(m.learn('/api/cart/{id}')).not.toBe(a);
  });

  it('is bounded: past maxTemplates a new shape is {other}', () => {
    const m = new TemplateMiner('/', 4);
    for (const w of WORDS) m.learn(`/${w}`);
    expect(m.size).toBe(4);
    expect(m.text(m.learn('/zzz'))).toBe('{other}');
  });
});

/** `minutes` of one service calling /api/<dest>/<id> with ~50 ids per destination, plus `extra`. */
function run(minutes: number, extra: (minute: number, add: (r: LogRecord) => void) => void) {
  const config = suiteConfig({ detectors: ['probing'] });
  const engine = new AnomalyEngine(config);
  const rand = mulberry32(3);
  const fired: string[] = [];
  let n = 0;
  for (let m = 0; m < minutes; m++) {
    const t0 = START + m * MIN;
    const records: LogRecord[] = [];
    const add = (r: LogRecord) => records.push(r);
    for (let k = 0; k < 300; k++) {
      const dst = DESTS[k % DESTS.length] as string;
      const id = Math.floor(rand() * 50);
      const path = rand() < 0.5 ? `/api/${dst}/${id}` : `/api/${dst}/item-${id}-x`;
      add(accessRecord(t0 + k * 100, { src: 'frontend', dst, status: 200, duration: 5, path }, `r${n++}`));
    }
    extra(m, add);
    records.sort((x, y) => (x.timeUnixNano < y.timeUnixNano ? -1 : 1));
    const batch = { resource: {}, scope: { name: 't' }, records };
    for (const j of engine.add(aggregateBatch(batch, config.bucket)))
      for (const e of j.events) if (e.state === 'firing') fired.push(`${e.kind} ${e.key}`);
  }
  return fired;
}

describe('probing on route templates', () => {
  it('a service calling /api/<dest>/<id> with ~50 ids per destination raises nothing, from its first minute', () => {
    expect(run(90, () => {})).toEqual([]);
  });

  it('a new service with a few routes and no history does not fire; a scan of many routes does', () => {
    const fired = run(90, (m, add) => {
      if (m >= 30 && m < 33)
        for (let k = 0; k < 5; k++)
          add(
            accessRecord(
              START + m * MIN + k,
              { src: 'newcomer', dst: 'users', status: 200, duration: 5, path: `/api/users/${k}/profile` },
              `n${m}-${k}`,
            ),
          );
      if (m >= 60 && m < 66)
        for (let k = 0; k < 120; k++) {
          const path = `/${WORDS[k % WORDS.length]}${Math.floor(k / WORDS.length) || ''}/${WORDS[(k * 7) % WORDS.length]}`;
          add(
            accessRecord(
              START + m * MIN + 100 * k,
              { src: 'frontend', dst: 'reviews', status: 404, duration: 1, path },
              `p${m}-${k}`,
            ),
          );
        }
    });
    expect(fired).toEqual(['probing frontend']);
  });
});
