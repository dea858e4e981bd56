import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { hasPartial, partialCut } from '../../../../../receivers/filelog/read/partial-cut.ts';
import { harness, pause, stopAll, text, until } from '../harness.ts';

afterEach(stopAll);

const T = '2026-11-20T10:15:00.123456789Z';
const piece = (s: string) => `{"log":${JSON.stringify(s)},"stream":"stdout","time":"${T}"}`;

it('reassembles a CRI P/F run that crosses a read boundary and a poll', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning', format: 'cri', read_buffer_size: 64 });
  const path = join(h.logs, 'c.log');
  const parts = ['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc'];
  writeFileSync(
    path,
    text([`${T} stdout F before`, `${T} stderr F err-1`, ...parts.map((p) => `${T} stdout P ${p}`)]),
  );
  await h.start();
  expect(await until(() => h.got.length >= 2)).toBe(true);
  await pause(150); // the open run waits for its final piece
  appendFileSync(path, text([`${T} stderr F err-2`, `${T} stdout F end`, `${T} stdout F after`]));
  expect(await until(() => h.got.length >= 5)).toBe(true);
  await pause(100);
  expect(h.bodies()).toEqual(['before', 'err-1', 'err-2', `${parts.join('')}end`, 'after']);
  expect(h.got.every((g) => g.attributes['meshtail.log.truncated'] === undefined)).toBe(true);
  for (const b of h.batches) expect(partialCut(b.data, 'cri').at).toBe(b.data.length);
});

it('joins docker json-file continuation pieces across a read boundary', async () => {
  const h = harness({
    include: ['$LOGS/*.log'],
    start_at: 'beginning',
    format: 'docker',
    read_buffer_size: 100,
  });
  const path = join(h.logs, 'd.log');
  writeFileSync(path, text([piece('one\n'), piece('x'.repeat(60)), piece('y'.repeat(60))]));
  await h.start();
  expect(await until(() => h.got.length >= 1)).toBe(true);
  await pause(150);
  appendFileSync(path, text([piece('z\n'), piece('two\n')]));
  expect(await until(() => h.got.length >= 3)).toBe(true);
  await pause(100);
  expect(h.bodies()).toEqual(['one', `${'x'.repeat(60)}${'y'.repeat(60)}z`, 'two']);
});

it('emits a run longer than max_log_size in pieces, each marked', async () => {
  const h = harness({
    include: ['$LOGS/*.log'],
    start_at: 'beginning',
    format: 'cri',
    max_log_size: 100,
    read_buffer_size: 64,
  });
  const lines = Array.from({ length: 10 }, (_, i) => `${T} stdout P ${String(i).repeat(30)}`);
  writeFileSync(join(h.logs, 'p.log'), text([...lines, `${T} stdout F end`, `${T} stdout F next`]));
  await h.start();
  expect(await until(() => h.bodies().includes('next'))).toBe(true);
  await pause(100);
  const bodies = h.bodies();
  expect(bodies.at(-1)).toBe('next');
  const run = h.got.slice(0, -1);
  expect(run.length).toBeGreaterThan(1);
  expect(run.every((g) => g.attributes['meshtail.log.truncated'] === true)).toBe(true);
  for (const g of run) expect(g.body.length).toBeLessThanOrEqual(100);
});

it('reads containerd (trimmed fraction, Z) and CRI-O (9 digits, ±hh:mm) timestamps as the observed time', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  writeFileSync(
    join(h.logs, 't.log'),
    text([
      '2026-11-20T10:15:00.1234Z stdout F containerd',
      '2026-11-20T11:15:00.123456789+01:00 stderr F crio',
    ]),
  );
  await h.start();
  expect(await until(() => h.got.length >= 2)).toBe(true);
  const base = BigInt(Date.parse('2026-11-20T10:15:00Z')) * 1_000_000n;
  expect(h.got[0]!.observed).toBe(base + 123_400_000n);
  expect(h.got[1]!.observed).toBe(base + 123_456_789n);
  expect(h.got.map((g) => g.attributes['log.iostream'])).toEqual(['stdout', 'stderr']);
});

it('cuts a batch before the earliest open run of its tail, per stream', () => {
  const b = (lines: string[]) => new TextEncoder().encode(text(lines));
  const data = b([`${T} stdout P a`, `${T} stderr F e`, `${T} stdout P b`]);
  expect(partialCut(data, 'cri')).toEqual({ at: 0, open: ['stdout'] });
  const closed = b([`${T} stdout P a`, `${T} stdout F b`, `${T} stderr P c`, `${T} stdout F d`]);
  const first3 = text([`${T} stdout P a`, `${T} stdout F b`]).length;
  expect(partialCut(closed, 'cri')).toEqual({ at: first3, open: ['stderr'] });
  expect(partialCut(b([piece('a'), piece('b\n')]), 'auto').at).toBe(text([piece('a'), piece('b\n')]).length);
  expect(partialCut(b(['plain line']), 'raw').at).toBe(11);
  // hasPartial: any partial piece at all, open or closed (the quick read path leaves those to the cut).
  expect(hasPartial(closed, 'cri')).toBe(true);
  expect(hasPartial(b([`${T} stdout F a`, `${T} stderr F b`]), 'auto')).toBe(false);
  expect(hasPartial(b([piece('a'), piece('b\n')]), 'auto')).toBe(true);
  expect(hasPartial(b([piece('a\n')]), 'docker')).toBe(false);
  expect(hasPartial(b([`${T} stdout P a`]), 'raw')).toBe(false);
  // In auto, CRI streams are told by their bytes; anything else is no CRI line and cuts nothing.
  expect(partialCut(b([`${T} stderr P a`]), 'auto')).toEqual({ at: 0, open: ['stderr'] });
  for (const odd of [`${T} stdoux P a`, `${T} sxdout P a`, `${T} stdout  P a`, `${T} stderr`])
    expect(partialCut(b([odd]), 'auto').at).toBe(text([odd]).length);
});
