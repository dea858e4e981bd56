// A 403 storm in event time through the anomaly worker part, its main part and the alertmanager
// exporter, against a real Alertmanager on loopback: one alert is listed, and it resolves after
// the storm ends. Event time makes it fast: no real minutes pass.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessorOutput } from '../../agent/kit/component.ts';
import { encodeLogs } from '../../agent/kit/otlp/encoder.ts';
import { alertmanagerFactory } from '../../exporters/alertmanager/factory.ts';
import { anomalyFactory } from '../../processors/anomaly/factory.ts';
import { createProcessor } from '../../processors/anomaly/worker.ts';
import { type Exit, stopChild, track } from '../support/child-processes.ts';
import { freePort, waitForPort } from '../support/free-port.ts';
import { traffic } from '../support/mesh-traffic.ts';
import { requirePeer } from '../support/peers.ts';
import { testContext } from '../support/processor-context.ts';
import { testSettings } from '../unit/exporters/test-settings.ts';

const BIN = requirePeer(
  'Alertmanager',
  ['/usr/bin/prometheus-alertmanager'],
  'apt-get install -y prometheus-alertmanager',
);
let port = 0;
let child: ReturnType<typeof spawn> | undefined;
let exited: Promise<Exit> | undefined;

interface ListedAlert {
  labels: Record<string, string>;
  endsAt: string;
  status: { state: string };
}

async function listAlerts(): Promise<ListedAlert[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v2/alerts`, { signal: AbortSignal.timeout(5000) });
  return (await res.json()) as ListedAlert[];
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-am-'));
  writeFileSync(join(dir, 'am.yml'), 'route:\n  receiver: "blackhole"\nreceivers:\n  - name: "blackhole"\n');
  port = await freePort();
  child = spawn(
    BIN,
    [
      `--config.file=${join(dir, 'am.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  exited = track(child);
  const up = await waitForPort(port, 15_000, () => child?.exitCode === null);
  if (!up) throw new Error('alertmanager did not start');
}, 20_000);

afterAll(async () => {
  if (child && exited) await stopChild(child, exited);
});

describe('anomaly → alertmanager', () => {
  it('a 403 storm gives one alert that resolves after the storm', async () => {
    const settings = testSettings('alertmanager');
    const exporter = alertmanagerFactory.create(
      settings,
      alertmanagerFactory.config.parse({
        endpoint: `http://127.0.0.1:${port}`,
        sending_queue: { enabled: false },
      }),
    );
    await exporter.start();
    const sends: Promise<void>[] = [];
    const output: ProcessorOutput = {
      emitLogs: async (b) => {
        const bytes = encodeLogs([b], 'json');
        sends.push(exporter.export({ signal: 'logs', bytes, records: b.records.length }));
      },
      emitMetrics: async () => {},
    };
    const config = anomalyFactory.config.parse({
      bucket: '1m',
      allowed_lateness: '0s',
      detectors: ['access_denied'],
    });
    const main = anomalyFactory.createMain!(testSettings('anomaly'), config, undefined as never, output);
    await main.start();
    const ctx = testContext('anomaly');
    const process = createProcessor(config, ctx);
    // Event time: an hour ago, 30 minutes of traffic with a 6-minute storm at minute 10.
    const start = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    const injections = [
      {
        kind: 'access_denied' as const,
        detects: ['access_denied'],
        keys: ['intruder', 'reviews'],
        start: start + 10 * 60_000,
        end: start + 16 * 60_000,
      },
    ];
    const active = async () =>
      (await listAlerts()).filter((a) => a.status.state === 'active' && Date.parse(a.endsAt) > Date.now());
    let firedSeen = false;
    for (const batch of traffic({ seed: 3, start, minutes: 30, rate: 40, injections })) {
      process(batch);
      main.consumeAggregates!(ctx.emitted.splice(0), 'logs');
      await Promise.all(sends.splice(0));
      const first = batch.records[0];
      if (!firedSeen && first && first.timeUnixNano >= BigInt(start + 14 * 60_000) * 1_000_000n) {
        firedSeen = true;
        // Everything Alertmanager lists, unfiltered: the storm is one alert (the destination defers
        // to the source that explains its denials).
        const alerts = await active();
        expect(alerts.map((a) => a.labels)).toEqual([
          {
            alertname: 'meshtail_anomaly_access_denied',
            severity: 'critical',
            namespace: 'shop',
            source: 'intruder',
            scope: 'source',
          },
        ]);
      }
    }
    expect(firedSeen).toBe(true);
    // 14 quiet minutes after the storm: the alert was resolved with endsAt and is no longer active.
    expect((await active()).map((a) => a.labels)).toEqual([]);
    await main.shutdown();
    await exporter.shutdown();
  }, 60_000);
});
