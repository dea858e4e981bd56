// The CLI as a user runs it: `meshtail validate` exit codes and error positions, and
// `meshtail run` drained by SIGTERM: exit 0 with every line it read already at the real Collector.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector, requireCollector } from '../support/collector.ts';
import { type ExportRun, startExport } from '../support/export-run.ts';
import { generateLogs } from '../support/generated-logs.ts';
import { runCli } from '../support/meshtail-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meshtail = (...args: string[]) => runCli(args);

describe('meshtail validate', () => {
  it('exits 0 for a valid file', () => {
    const file = join(dir, 'valid.yaml');
    writeFileSync(
      file,
      `receivers:
  filelog: { include: [/var/log/pods/*/istio-proxy/*.log] }
exporters:
  otlp_grpc: { endpoint: 127.0.0.1:4317, tls: { insecure: true } }
  otlp_http/json: { endpoint: http://127.0.0.1:4318, encoding: json }
service:
  pipelines:
    logs: { receivers: [filelog], exporters: [otlp_grpc, otlp_http/json] }
`,
    );
    const r = meshtail('validate', '-c', file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('exits 2 with one FILE:LINE:COL: message line per error', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      `receivers:
  filelog:
    include: [/var/log/pods/*/istio-proxy/*.log]
    start_at: middle
exporters:
  otlp_grpc:
    endpoint: 127.0.0.1:4317
    tls: { insecure: true, insecur: true }
service:
  pipelines:
    logs: { receivers: [filelog], exporters: [otlp_grpc] }
`,
    );
    const r = meshtail('validate', '-c', file);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^.+:\d+:\d+: \S.*$/);
    expect(lines.map((l) => l.slice(0, l.indexOf(': ')))).toEqual([`${file}:4:15`, `${file}:8:28`]);
    expect(lines[0]).toContain('start_at');
    expect(lines[1]).toContain('insecur');
  });

  it('exits 2 (a usage error) without -c', () => {
    expect(meshtail('validate').status).toBe(2);
  });
});

requireCollector();

describe('meshtail run', () => {
  let collector: Collector | undefined;
  let run: ExportRun | undefined;

  afterAll(async () => {
    await run?.meshtail.stop('SIGKILL');
    await collector?.stop();
  });

  it('drains on SIGTERM: exit 0 and everything it read is at the Collector before it exits', async () => {
    // Few enough lines to be in flight at once (4 files; 8 batches allowed, set here since the default
    // is 4 per worker thread and threads follow the CPUs): the agent reads them all while the
    // Collector hangs, so at SIGTERM all of them wait to be sent.
    const lines = 10_000;
    const logs = generateLogs(join(dir, 'logs'), { lines, files: 4 });
    collector = await Collector.start(join(dir, 'collector'));
    // A hung Collector: connections are accepted by the kernel, nothing is answered.
    collector.pause();
    run = await startExport(
      join(dir, 'agent'),
      logs,
      {
        id: 'otlp_grpc',
        config: { endpoint: collector.grpcEndpoint, tls: { insecure: true } },
      },
      { max_inflight_batches: 8 },
    );
    const end = Date.now() + 30_000;
    let read = 0;
    while (read < lines && Date.now() < end) {
      read = await run.meshtail.metric('meshtail_receiver_read_lines_total');
      if (read < lines) await new Promise((r) => setTimeout(r, 20));
    }
    expect(read).toBe(lines);
    const atSignal = collector.poll(run.tally.visit);
    // SIGTERM with a backlog; the Collector answers again a second later, within the drain time.
    const exited = run.meshtail.stop('SIGTERM', 40_000);
    await new Promise((r) => setTimeout(r, 1000));
    collector.resume();
    const exit = await exited;
    collector.poll(run.tally.visit);
    console.log(
      `run: ${atSignal} of ${lines} at the Collector at SIGTERM, ${collector.output.records} at exit`,
    );

    expect(atSignal).toBe(0);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.tally.report()).toMatchObject({
      received: lines,
      unique: lines,
      missing: 0,
      badAttributes: 0,
    });
  });
});
