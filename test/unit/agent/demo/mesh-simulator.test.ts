// The simulator writes what it counts: every counted line is in a pod's file, CRI-framed, and a
// rotation leaves the old lines under 0.log.<yyyymmdd-hhmmss> next to a fresh 0.log.
import { globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MeshSimulator } from '../../../../agent/demo/mesh-simulator.ts';
import { DEFAULT_SCHEDULE, phaseAt } from '../../../../agent/demo/traffic-schedule.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('MeshSimulator', () => {
  it('counts exactly the lines it wrote across rotated and current files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshtail-sim-'));
    roots.push(root);
    const sim = new MeshSimulator({
      root,
      rotateBytes: 16 * 1024,
      historyBytes: 64 * 1024,
      schedule: { ...DEFAULT_SCHEDULE, baseRate: 1000 },
    });
    const startedAt = Date.now();
    sim.start();
    // The history is in the files before start() returns, with event times before it.
    const history = sim.linesWritten;
    expect(history).toBeGreaterThan(100);
    const first = readFileSync(globSync(join(root, 'var/log/pods/*/istio-proxy/0.log'))[0]!, 'utf8');
    expect(Date.parse(first.slice(0, first.indexOf(' ')))).toBeLessThan(startedAt - 500);
    await new Promise((r) => setTimeout(r, 1500));
    sim.stop();

    const files = globSync(join(root, 'var/log/pods/*/istio-proxy/0.log*'));
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
    expect(sim.linesWritten).toBeGreaterThan(history + 500);
    expect(lines).toHaveLength(sim.linesWritten);
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z (stdout|stderr) F /.test(l))).toBe(true);
    expect(sim.rotations).toBeGreaterThan(0);
    expect(files.filter((f) => /\/0\.log\.\d{8}-\d{6}$/.test(f))).toHaveLength(sim.rotations);
    expect(files.filter((f) => f.endsWith('/0.log'))).toHaveLength(sim.pods);
    expect(files[0]).toMatch(/var\/log\/pods\/[a-z-]+_[a-z0-9-]+_[0-9a-f-]{36}\/istio-proxy\//);
  });

  it('plays a burst, then a denial storm, at fixed times in each cycle', () => {
    expect(phaseAt(DEFAULT_SCHEDULE, 1000)).toBe('steady');
    expect(phaseAt(DEFAULT_SCHEDULE, 5000)).toBe('burst');
    expect(phaseAt(DEFAULT_SCHEDULE, 9000)).toBe('deny_storm');
    expect(phaseAt(DEFAULT_SCHEDULE, 30_000 + 5000)).toBe('burst');
  });
});
