// A Collector user's config, as written for the Collector: `otlp` and `otlphttp` exporters,
// `memory_limiter` and `batch` processors. `meshtail validate` accepts it and `meshtail run`
// delivers every line to the real Collector through both exporters.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector, requireCollector } from '../support/collector.ts';
import { freePort } from '../support/free-port.ts';
import { CLI, MeshtailProcess } from '../support/meshtail-process.ts';

requireCollector();

const dir = mkdtempSync(join(tmpdir(), 'meshtail-collector-config-'));

describe('a Collector-style config', () => {
  let collector: Collector | undefined;
  let meshtail: MeshtailProcess | undefined;

  afterAll(async () => {
    await meshtail?.stop('SIGKILL');
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates and delivers to the real Collector through otlp and otlphttp', async () => {
    collector = await Collector.start(join(dir, 'collector'));
    const adminPort = await freePort();
    mkdirSync(join(dir, 'logs'));
    const lines = 3000;
    let text = '';
    for (let i = 0; i < lines; i++) text += `collector-style ${i}\n`;
    writeFileSync(join(dir, 'logs', 'app.log'), text);
    const file = join(dir, 'meshtail.yaml');
    writeFileSync(
      file,
      `receivers:
  filelog:
    include: [${join(dir, 'logs', '*.log')}]
    start_at: beginning
processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 4000
    spike_limit_mib: 800
  batch:
    send_batch_size: 8192
    send_batch_max_size: 10000
    timeout: 200ms
exporters:
  otlp:
    endpoint: ${collector.grpcEndpoint}
    tls:
      insecure: true
  otlphttp:
    endpoint: ${collector.httpEndpoint}
service:
  data_dir: ${join(dir, 'state')}
  telemetry:
    metrics:
      address: 127.0.0.1:${adminPort}
  pipelines:
    logs:
      receivers: [filelog]
      processors: [memory_limiter, batch]
      exporters: [otlp, otlphttp]
`,
    );
    const validate = spawnSync(process.execPath, [CLI, 'validate', '-c', file], { encoding: 'utf8' });
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);

    meshtail = await MeshtailProcess.start(file, adminPort, join(dir, 'meshtail.log'));
    const counts = new Map<string, number>();
    const received = await collector.waitForRecords(lines * 2, 60_000, (r) => {
      counts.set(r.body, (counts.get(r.body) ?? 0) + 1);
    });
    expect(received).toBe(lines * 2);
    expect(counts.size).toBe(lines);
    expect([...counts.values()].every((c) => c === 2)).toBe(true);
    const exit = await meshtail.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 120_000);
});
