// `meshtail demo` as a user runs it: a real child process, real files, rotations, the full
// pipeline; the demo's own summary must show every line written exported exactly once.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../agent/cli.ts', import.meta.url));

function runDemo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // process.execPath is the Node 24 that runs vitest through the npm scripts.
    execFile(process.execPath, [CLI, 'demo', ...args], { timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const count = (stdout: string, label: string): number => {
  const m = new RegExp(`^${label}: (\\d+)`, 'm').exec(stdout);
  return m ? Number(m[1]) : Number.NaN;
};

describe('meshtail demo', () => {
  it('runs 15s, backfills, rotates, shows requests with users and the anomalies as they fire, and exports every line it wrote', async () => {
    const { code, stdout, stderr } = await runDemo(['--duration', '15s', '--plain']);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const written = count(stdout, 'lines written');
    expect(written).toBeGreaterThan(0);
    expect(count(stdout, 'records exported')).toBe(written);
    expect(count(stdout, 'rotations')).toBeGreaterThanOrEqual(1);
    expect(stdout).toContain('nothing lost');
    // --plain: one summary line per second, no terminal escapes.
    expect(stdout.match(/^t=\d+s /gm)?.length).toBeGreaterThanOrEqual(4);
    expect(stdout).not.toContain('\x1b[');
    // Requests read back from the export: who called whom, the tenant rbac assigned, as which user
    // (mesh_parse's user.id).
    const requests = stdout.match(/^ {2}request: .+$/gm) ?? [];
    expect(requests.length).toBeLessThanOrEqual(stdout.match(/^t=\d+s /gm)!.length);
    expect(
      requests.some((l) =>
        /\S+ → \S+ {2}GET \/\S* {2}\d{3} {2}tenant=(bookinfo|platform) {2}user=[a-z]+/.test(l),
      ),
    ).toBe(true);
    // Redact's counters in the status line: the leaked query tokens were masked, never shown in clear.
    const masked = [...stdout.matchAll(/ masked: .*\bquery_secret ([\d,]+)/g)].map((m) =>
      Number(m[1]!.replaceAll(',', '')),
    );
    expect(Math.max(0, ...masked)).toBeGreaterThan(0);
    expect(stdout).not.toMatch(/[?&](access_token|api_key)=(?!\[REDACTED:query_secret\])/);
    // The traffic burst (4-7 s) and the RBAC denial storm (8-11 s) fire within the run, one line
    // each as the anomaly records are read back; they are extra records, not counted as lines.
    const anomalies = stdout.match(/^ {2}anomaly: .+$/gm) ?? [];
    expect(
      anomalies.some((l) => /^ {2}anomaly: FIRING burst {2}(destination|edge) \S+ {2}observed /.test(l)),
    ).toBe(true);
    expect(anomalies.some((l) => /^ {2}anomaly: FIRING access_denied {2}\S+ \S+ {2}observed /.test(l))).toBe(
      true,
    );
    expect(count(stdout, 'anomaly records')).toBeGreaterThanOrEqual(2);
    // rbac's manager view: aggregates per call path, exported apart from the lines.
    expect(count(stdout, 'aggregate records')).toBeGreaterThan(0);
    // The history the pods wrote before the agent started was read in full.
    expect(stdout).toMatch(/^backfill: ([\d.]+) of \1 MiB \(100%\)$/m);
  });

  it('rejects a duration it cannot read', async () => {
    const { code, stderr } = await runDemo(['--duration', 'soon', '--plain']);
    expect(code).toBe(1);
    expect(stderr).toContain('--duration "soon"');
  });
});
