import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Payload } from '../../../../../agent/kit/component.ts';
import {
  type DiskItem,
  DiskQueue,
  type DiskQueueOptions,
} from '../../../../../agent/kit/queue/disk-queue/disk-queue.ts';
import { DropTally, type QueueDropReason } from '../../../../../agent/kit/queue/disk-queue/drop-tally.ts';
import { QueueKeys } from '../../../../../agent/kit/queue/disk-queue/queue-keys.ts';
import { sendingQueueSchema } from '../../../../../agent/kit/queue/queue-config.ts';
import { rotate, tempKeyring } from '../../../../support/encrypt-keyring.ts';

const SECRET = 'Bearer sk_live_SEEDED_0123456789abcdef';

function payload(i: number, extra = ''): Payload {
  return {
    signal: 'logs',
    records: 1 + (i % 3),
    bytes: Buffer.from(`p${i} ${extra}`),
    tenant: i % 2 ? 'team-a' : undefined,
  };
}

interface Harness {
  dir: string;
  drops: Record<string, number>;
  logs: unknown[];
  open: (o?: Partial<DiskQueueOptions>) => Promise<DiskQueue>;
}

function harness(encryption: 'none' | { keyring: string }, base: Partial<DiskQueueOptions> = {}): Harness {
  const dir = join(mkdtempSync(join(tmpdir(), 'meshtail-dq-')), 'q');
  const drops: Record<string, number> = {};
  const logs: unknown[] = [];
  const tally = new DropTally(
    { warn: (o: unknown) => logs.push(o) } as never,
    'test',
    (r: QueueDropReason, n) => {
      drops[r] = (drops[r] ?? 0) + n;
    },
  );
  return {
    dir,
    drops,
    logs,
    open: (o = {}) =>
      DiskQueue.open({
        dir,
        keys: new QueueKeys(encryption),
        maxSize: 64 * 1024 * 1024,
        maxAge: 0,
        fsync: 'interval',
        fsyncInterval: 1000,
        segmentSize: 4096,
        whenFull: 'block',
        drops: tally,
        ...base,
        ...o,
      }),
  };
}

const put = (q: DiskQueue, p: Payload) => q.put({ payload: p, settle: () => {} });
const text = (item: DiskItem | undefined) => Buffer.from(item!.payload.bytes).toString();

async function takeAll(q: DiskQueue, n: number, ack = true): Promise<DiskItem[]> {
  const out: DiskItem[] = [];
  for (let i = 0; i < n; i++) {
    const item = (await q.take())!;
    if (ack) item.settle();
    out.push(item);
  }
  return out;
}

describe('sending_queue storage: disk config', () => {
  it('refuses storage: disk without a keyring unless encryption: none is explicit', () => {
    expect(sendingQueueSchema.safeParse({ storage: 'disk' }).success).toBe(false);
    expect(sendingQueueSchema.safeParse({ storage: 'disk', encryption: 'none' }).success).toBe(true);
    const parsed = sendingQueueSchema.parse({
      storage: 'disk',
      encryption: { keyring: '/k' },
      max_size: '2GiB',
    });
    expect(parsed).toMatchObject({ fsync: 'interval', fsync_interval: 1000, max_size: 2 * 1024 ** 3 });
  });

  it('fails to start when the keyring has no active key, naming the directory only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-nokeys-'));
    expect(() => new QueueKeys({ keyring: dir })).toThrow(dir);
  });
});

describe('DiskQueue', () => {
  it('delivers in order across segments with signal, tenant and record counts', async () => {
    const h = harness('none');
    const q = await h.open();
    for (let i = 0; i < 200; i++) await put(q, payload(i, 'x'.repeat(100)));
    expect(readdirSync(h.dir).filter((n) => n.endsWith('.seg')).length).toBeGreaterThan(3);
    expect(q.size).toBe(200);
    const items = await takeAll(q, 200);
    expect(items.map(text)).toEqual(Array.from({ length: 200 }, (_, i) => `p${i} ${'x'.repeat(100)}`));
    expect(items[1]!.payload).toMatchObject({ signal: 'logs', records: 2, tenant: 'team-a' });
    expect(items[0]!.payload.tenant).toBeUndefined();
    await q.shutdown();
    // Fully acknowledged segments are deleted; the one being written stays.
    expect(readdirSync(h.dir).filter((n) => n.endsWith('.seg')).length).toBe(1);
  });

  it('a take waits for the next put', async () => {
    const q = await harness('none').open();
    const waiting = q.take();
    await put(q, payload(7));
    expect(text(await waiting)).toBe('p7 ');
    q.close();
    expect(await q.take()).toBeUndefined();
    await q.shutdown();
  });

  it('redelivers what was not acknowledged after a restart, and nothing acknowledged before', async () => {
    const h = harness('none');
    let q = await h.open();
    for (let i = 0; i < 50; i++) await put(q, payload(i, 'y'.repeat(200)));
    const items = await takeAll(q, 20, false);
    for (const it of items.slice(0, 10)) it.settle();
    items[15]!.settle(); // out of order: the position stays at 10
    await q.shutdown();
    q = await h.open();
    expect(q.size).toBe(40);
    const again = await takeAll(q, 40);
    expect(again.map(text)[0]).toBe(`p10 ${'y'.repeat(200)}`);
    expect(again.map(text)[39]).toBe(`p49 ${'y'.repeat(200)}`);
    await q.shutdown();
  });

  it('recovers from a crash that tore the last record: the torn frame is cut, the rest delivered', async () => {
    const h = harness('none');
    const q = await h.open();
    for (let i = 0; i < 5; i++) await put(q, payload(i, 'z'.repeat(50)));
    // No shutdown (a kill -9): the file handles die with the "process"; tear the last frame.
    const seg = readdirSync(h.dir)
      .filter((n) => n.endsWith('.seg'))
      .sort()
      .at(-1)!;
    const path = join(h.dir, seg);
    truncateSync(path, statSync(path).size - 7);
    const q2 = await h.open();
    expect(q2.size).toBe(4);
    expect((await takeAll(q2, 4)).map(text)).toEqual([0, 1, 2, 3].map((i) => `p${i} ${'z'.repeat(50)}`));
    await q2.shutdown();
    await q.shutdown();
  });

  it('blocks a put that does not fit until delivered segments free room (when_full: block), dropping nothing', async () => {
    const h = harness('none', { maxSize: 2000, segmentSize: 1000 });
    const q = await h.open();
    let written = 0;
    const puts: Promise<boolean>[] = [];
    for (let i = 0; i < 40; i++)
      puts.push(
        put(q, payload(i, 'w'.repeat(80))).then((ok) => {
          written++;
          return ok;
        }),
      );
    await new Promise((r) => setTimeout(r, 100));
    const heldBack = 40 - written;
    expect(heldBack).toBeGreaterThan(0); // the rest wait: the pipeline behind them is held
    expect(q.bytes).toBeLessThanOrEqual(2000);
    const got: string[] = [];
    while (got.length < 40) {
      const item = await q.take();
      got.push(text(item));
      item!.settle();
    }
    expect(await Promise.all(puts)).toEqual(Array(40).fill(true));
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => `p${i} ${'w'.repeat(80)}`));
    expect(h.drops.queue_full).toBeUndefined();
    expect(q.bytes).toBeLessThanOrEqual(2000);
    await q.shutdown();
  });

  it('gives a put blocked on a full queue back as not admitted when the queue closes', async () => {
    const h = harness('none', { maxSize: 2000, segmentSize: 1000 });
    const q = await h.open();
    const puts = Array.from({ length: 40 }, (_, i) => put(q, payload(i, 'w'.repeat(80))));
    await new Promise((r) => setTimeout(r, 100));
    q.close();
    const admitted = await Promise.all(puts);
    expect(admitted.filter((a) => !a).length).toBeGreaterThan(0);
    expect(h.drops.queue_full).toBeUndefined(); // the exporter counts these (reason shutdown)
    await q.shutdown();
  });

  it('counts queue_full drops beyond max_size and logs them once per interval (when_full: drop_newest)', async () => {
    const h = harness('none', { maxSize: 2000, segmentSize: 1000, whenFull: 'drop_newest' });
    const q = await h.open();
    let accepted = 0;
    for (let i = 0; i < 40; i++) {
      await put(q, payload(i, 'w'.repeat(80)));
      if (q.size > accepted) accepted = q.size;
    }
    expect(q.bytes).toBeLessThanOrEqual(2000);
    const dropped = Array.from({ length: 40 }, (_, i) => i)
      .slice(accepted)
      .reduce((n, i) => n + 1 + (i % 3), 0);
    expect(h.drops.queue_full).toBe(dropped);
    await q.shutdown();
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toMatchObject({ reason: 'queue_full', payloads: 40 - accepted });
  });

  it('drops payloads past max_age (counted expired) and deletes expired unread segments', async () => {
    let now = 1_000_000;
    const h = harness('none', { maxAge: 60_000, segmentSize: 600, now: () => now });
    const q = await h.open();
    for (let i = 0; i < 30; i++) await put(q, payload(i, 'v'.repeat(80)));
    now += 61_000;
    await put(q, payload(99));
    const first = await q.take();
    expect(text(first)).toBe('p99 ');
    expect(h.drops.expired).toBe(Array.from({ length: 30 }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b));
    await q.shutdown();
    expect(readdirSync(h.dir).filter((n) => n.endsWith('.seg')).length).toBeLessThanOrEqual(2);
  });

  it.each(['always', 'interval', 'never'] as const)('fsync: %s persists and reopens', async (fsync) => {
    const h = harness('none', { fsync });
    const q = await h.open();
    for (let i = 0; i < 10; i++) await put(q, payload(i));
    (await takeAll(q, 3)).length;
    await q.shutdown();
    const q2 = await h.open();
    expect(q2.size).toBe(7);
    expect(text(await q2.take())).toBe('p3 ');
    await q2.shutdown();
  });
});

describe('DiskQueue encryption', () => {
  it('leaves no seeded sensitive value in clear in any queue file, and reads back after a key rotation', async () => {
    const keys = tempKeyring();
    const h = harness({ keyring: keys.dir }, { segmentSize: 2048 });
    const q = await h.open();
    for (let i = 0; i < 30; i++) await put(q, payload(i, `authorization=${SECRET} user=alice@example.com`));
    await q.shutdown();
    rotate(keys.dir);
    const q2 = await h.open();
    for (let i = 30; i < 40; i++) await put(q2, payload(i, `authorization=${SECRET}`));
    await q2.shutdown();

    const files = readdirSync(h.dir);
    expect(files.filter((n) => n.endsWith('.seg')).length).toBeGreaterThan(2);
    for (const name of files) {
      const bytes = readFileSync(join(h.dir, name));
      for (const needle of [SECRET, 'sk_live_SEEDED', 'alice@example.com', 'team-a'])
        expect(bytes.includes(needle), `${name} holds ${needle}`).toBe(false);
    }

    const q3 = await h.open();
    const items = await takeAll(q3, 40);
    expect(text(items[0])).toBe(`p0 authorization=${SECRET} user=alice@example.com`);
    expect(text(items[39])).toBe(`p39 authorization=${SECRET}`);
    await q3.shutdown();
  });

  it('counts a segment whose key is gone as unreadable, without logging contents', async () => {
    const keys = tempKeyring();
    const h = harness({ keyring: keys.dir });
    const q = await h.open();
    await put(q, payload(1, SECRET));
    await q.shutdown();
    const other = tempKeyring();
    const q2 = await h.open({ keys: new QueueKeys({ keyring: other.dir }) });
    await put(q2, payload(2));
    expect(text(await q2.take())).toBe('p2 ');
    expect(h.drops.unreadable).toBe(2);
    await q2.shutdown();
    expect(JSON.stringify(h.logs)).not.toContain('sk_live');
  });

  it('a tampered frame is not delivered', async () => {
    const keys = tempKeyring();
    const h = harness({ keyring: keys.dir });
    const q = await h.open();
    await put(q, payload(1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'));
    await put(q, payload(2));
    await q.shutdown();
    const seg = readdirSync(h.dir)
      .filter((n) => n.endsWith('.seg'))
      .sort()[0]!;
    const bytes = readFileSync(join(h.dir, seg));
    bytes[bytes.length - 40]! ^= 1;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(h.dir, seg), bytes);
    const q2 = await h.open();
    expect(text(await q2.take())).toBe('p2 ');
    expect(h.drops.unreadable).toBe(2);
    await q2.shutdown();
  });
});

describe('TransportExporter with storage: disk', () => {
  it('settles export() once persisted, and a shutdown during an outage keeps the queue on disk (nothing dropped)', async () => {
    const { TransportExporter } = await import(
      '../../../../../agent/kit/exporter-helper/transport-exporter.ts'
    );
    const { exporterHelperOptions } = await import(
      '../../../../../agent/kit/exporter-helper/exporter-options.ts'
    );
    const { options } = await import('../../../../../agent/kit/config/schema.ts');
    const { testSettings } = await import('../../../exporters/test-settings.ts');
    const { retryable, SENT } = await import('../../../../../agent/kit/retry/send-result.ts');
    const settings = testSettings('otlp_grpc/dq');
    const config = options(exporterHelperOptions).parse({
      sending_queue: { storage: 'disk', encryption: 'none', drain_timeout: '200ms', num_consumers: 2 },
      retry_on_failure: { initial_interval: '10ms', max_interval: '20ms', max_elapsed_time: 0 },
    });
    let up = false;
    const sent: string[] = [];
    const transport = {
      send: async (p: Payload) => {
        if (!up) return retryable('backend down');
        sent.push(Buffer.from(p.bytes).toString());
        return SENT;
      },
      shutdown: async () => {},
    };
    const first = new TransportExporter(settings, config, 'proto', transport);
    await first.start();
    for (let i = 0; i < 20; i++) await first.export(payload(i)); // settles without delivery
    await first.shutdown();
    const dropped = await settings.metrics.value('meshtail_exporter_dropped_records_total', {
      exporter: 'otlp_grpc/dq',
      reason: 'shutdown',
    });
    expect(dropped ?? 0).toBe(0);

    up = true;
    const second = new TransportExporter(settings, config, 'proto', transport);
    await second.start();
    for (let i = 0; i < 50 && sent.length < 20; i++) await new Promise((r) => setTimeout(r, 20));
    await second.shutdown();
    expect([...new Set(sent)].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `p${i} `).sort());
  });
});

describe('TransportExporter when the disk queue cannot write', () => {
  it('sends the payload directly and settles after delivery', async () => {
    const { TransportExporter } = await import(
      '../../../../../agent/kit/exporter-helper/transport-exporter.ts'
    );
    const { exporterHelperOptions } = await import(
      '../../../../../agent/kit/exporter-helper/exporter-options.ts'
    );
    const { options } = await import('../../../../../agent/kit/config/schema.ts');
    const { testSettings } = await import('../../../exporters/test-settings.ts');
    const { SENT } = await import('../../../../../agent/kit/retry/send-result.ts');
    const { mkdirSync } = await import('node:fs');
    const settings = testSettings('otlp_grpc/ro');
    const config = options(exporterHelperOptions).parse({
      sending_queue: { storage: 'disk', encryption: 'none', segment_size: '1KiB' },
    });
    const sent: string[] = [];
    const transport = {
      send: async (p: Payload) => {
        sent.push(Buffer.from(p.bytes).toString());
        return SENT;
      },
      shutdown: async () => {},
    };
    const exporter = new TransportExporter(settings, config, 'proto', transport);
    await exporter.start();
    const dir = join(settings.dataDir, 'queues', encodeURIComponent('otlp_grpc/ro'));
    // The next segment cannot be created (root ignores permissions; a directory in its place does not).
    mkdirSync(join(dir, '000000000002.seg'));
    for (let i = 0; i < 30; i++) await exporter.export(payload(i, 'q'.repeat(100)));
    await exporter.shutdown();
    expect(new Set(sent).size).toBe(30);
    expect(settings.logLines.some((l) => l.includes('disk queue write failed; sending directly'))).toBe(true);
  });
});
