// deploy/dashboards/*.json against Grafana's dashboard schema (the Apache-2.0 @grafana/schema
// package: its Dashboard, Panel and per-panel Options types, checked by tsc with the dashboard as an
// object literal, so a misspelt or unknown field fails), plus what the types cannot say: every
// datasource reference is the dashboard's Prometheus variable, and every metric a query names is one
// meshtail exports (docs/operations.md's table).
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DIR = join(ROOT, 'deploy/dashboards');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

interface Target {
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  type: string;
  title: string;
  datasource: { type: string; uid: string };
  targets: Target[];
}
/** Grafana's reference to the dashboard variable `datasource` (the `$` escaped for the linter). */
const DATASOURCE_VARIABLE = '\u0024{datasource}';
const load = (f: string) =>
  JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { panels: Panel[]; uid: string };

const exported = new Set(
  [...readFileSync(join(ROOT, 'docs/operations.md'), 'utf8').matchAll(/^\| `(meshtail_[a-z0-9_]+)`/gm)].map(
    (m) => m[1],
  ),
);

/**
 * Panel types and the module of their Options and FieldConfig types in @grafana/schema (the kinds
 * these dashboards use). Panel<T> does not type `options`, so each panel's options and custom field
 * config are checked against their own types.
 */
const PANEL_OPTIONS: Record<string, string> = {
  timeseries: 'timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen',
};

/** tsc over `<dashboard> satisfies Dashboard` and each panel's options against its panel's type. */
function typecheck(d: { panels: Panel[] }): { status: number | null; out: string } {
  const schema = dirname(createRequire(import.meta.url).resolve('@grafana/schema/package.json'));
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-dashboard-'));
  try {
    mkdirSync(join(dir, 'node_modules/@grafana'), { recursive: true });
    symlinkSync(schema, join(dir, 'node_modules/@grafana/schema'));
    const imports = Object.entries(PANEL_OPTIONS).map(
      ([type, path]) =>
        `import type { Options as ${type}Options, FieldConfig as ${type}FieldConfig } from '@grafana/schema/dist/esm/raw/composable/${path}';`,
    );
    const checks = d.panels.map((p, i) => {
      const known = PANEL_OPTIONS[p.type] !== undefined;
      const panel = p as Panel & { options?: unknown; fieldConfig?: { defaults?: { custom?: unknown } } };
      return [
        `const panel${i} = ${JSON.stringify(p)} satisfies Panel;`,
        `export const options${i} = ${JSON.stringify(panel.options ?? {})} satisfies ${known ? `Json<${p.type}Options>` : 'never'};`,
        `export const custom${i} = ${JSON.stringify(panel.fieldConfig?.defaults?.custom ?? {})} satisfies ${known ? `Json<${p.type}FieldConfig>` : 'never'};`,
      ].join('\n');
    });
    writeFileSync(
      join(dir, 'check.ts'),
      [
        "import type { Dashboard, Panel } from '@grafana/schema';",
        // JSON holds an enum's values: a string enum becomes the union of its string values.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source, not a template
        'type Json<T> = T extends string ? `${T}` : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
        ...imports,
        `export const dashboard = ${JSON.stringify(d)} satisfies Dashboard;`,
        ...checks,
        `export const panels = [${d.panels.map((_, i) => `panel${i}`).join(', ')}];`,
      ].join('\n'),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(
      process.execPath,
      [
        tsc,
        '--ignoreConfig',
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        join(dir, 'check.ts'),
      ],
      { encoding: 'utf8' },
    );
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(files)('deploy/dashboards/%s', (file) => {
  it('type-checks against @grafana/schema (Dashboard, Panel, panel options)', () => {
    const r = typecheck(load(file));
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('uses only panel types the check knows, and the Prometheus datasource variable', () => {
    for (const p of load(file).panels) {
      expect(Object.keys(PANEL_OPTIONS), p.title).toContain(p.type);
      for (const ref of [p.datasource, ...p.targets.map((t) => t.datasource)])
        expect(ref, p.title).toEqual({ type: 'prometheus', uid: DATASOURCE_VARIABLE });
    }
  });

  it('queries only metrics meshtail exports', () => {
    expect(exported.size).toBeGreaterThan(30);
    const used = load(file).panels.flatMap((p) =>
      p.targets.flatMap((t) => t.expr.match(/\bmeshtail_[a-z0-9_]+/g) ?? []),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((m) => !exported.has(m))).toEqual([]);
  });
});

describe('the schema check rejects a broken dashboard', () => {
  const dashboard = () =>
    load(files[0] as string) as unknown as Record<string, unknown> & { panels: Panel[] };
  type Broken = ReturnType<typeof dashboard>;
  const panel = (d: Broken, change: object): Broken => {
    Object.assign(d.panels[0] as object, change);
    return d;
  };
  const options = (d: Broken) => (d.panels[0] as unknown as { options: { legend: object } }).options;
  const cases: Array<[string, string, (d: Broken) => Broken]> = [
    ['a misspelt dashboard field', 'refersh', (d) => Object.assign(d, { refersh: '30s' })],
    ['a misspelt panel field', 'gridPoss', (d) => panel(d, { gridPoss: { x: 0, y: 0, w: 1, h: 1 } })],
    [
      'a wrong option type',
      "'string' is not assignable to type 'boolean'",
      (d) => panel(d, { options: { ...options(d), legend: { ...options(d).legend, showLegend: 'yes' } } }),
    ],
    ['an unknown panel option', 'tooltipp', (d) => panel(d, { options: { ...options(d), tooltipp: {} } })],
  ];
  it.each(cases)(
    '%s',
    (_name, field, breakIt) => {
      const r = typecheck(breakIt(dashboard()));
      expect(r.status).not.toBe(0);
      // The error is about the broken field, not about how tsc was run.
      expect(r.out).toMatch(/check\.ts\(\d+,\d+\): error TS/);
      expect(r.out).toContain(field);
    },
    120_000,
  );
});
