// The layout's boundaries, checked on every import of the product code (DESIGN.md, Layout):
// components import only the kit of agent/; the kit imports only itself; the runtime reaches
// components only through agent/components.ts; product code never imports test/ or bench/.
// Imports are static imports, re-exports, import() and worker module paths written as
// `new URL('…', import.meta.url)`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const PRODUCT = ['agent', 'receivers', 'processors', 'exporters'];
const COMPONENT = /^(receivers|processors|exporters)\//;
const KIT = 'agent/kit/';
const REGISTRY = 'agent/components.ts';

/** Why `from` (a repo-relative path) may not import `target` (repo-relative, or a package name), or undefined. */
function layoutViolation(from: string, target: string, relativeSpecifier: boolean): string | undefined {
  if (!relativeSpecifier) return undefined; // node: builtins and npm packages are open to all
  if (COMPONENT.test(from) && target.startsWith('agent/') && !target.startsWith(KIT))
    return 'a component imports agent/ outside agent/kit/';
  if (from.startsWith(KIT) && !target.startsWith(KIT)) return 'agent/kit/ imports outside itself';
  if (from.startsWith('agent/') && from !== REGISTRY && COMPONENT.test(target))
    return `agent/ imports a component outside ${REGISTRY}`;
  if (/^(test|bench)\//.test(target)) return 'product code imports test/ or bench/';
  return undefined;
}

// Static imports and re-exports start a line (the formatter keeps them there); import() and worker
// URLs may appear anywhere except in a comment line.
const STATIC = [
  /^import\s+(?:type\s+)?[^;'"]*?\bfrom\s*(['"])([^'"]+)\1/gm,
  /^import\s*(['"])([^'"]+)\1/gm,
  /^export\s+(?:type\s+)?(?:\*[^;'"]*?|\{[^}]*\})\s*from\s*(['"])([^'"]+)\1/gm,
];
const INLINE = [
  /\bimport\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g,
  /\bnew URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g,
];

/** Every module specifier of a source file: imports, re-exports, import() and worker URLs. */
function specifiersOf(source: string): string[] {
  const found = STATIC.flatMap((re) => [...source.matchAll(re)].map((m) => m[2]!));
  for (const line of source.split('\n')) {
    if (/^\s*(\/\/|\/?\*)/.test(line)) continue;
    for (const re of INLINE) for (const m of line.matchAll(re)) found.push(m[2]!);
  }
  return found;
}

function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(root, path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every violation in the tree at `root`, as `file -> specifier: reason`. */
function treeViolations(root: string): string[] {
  const violations: string[] = [];
  for (const file of PRODUCT.flatMap((dir) => tsFiles(root, dir))) {
    for (const spec of specifiersOf(readFileSync(join(root, file), 'utf8'))) {
      const isRelative = spec.startsWith('.');
      const target = isRelative ? posix.normalize(posix.join(posix.dirname(file), spec)) : spec;
      const reason = layoutViolation(file, target, isRelative);
      if (reason) violations.push(`${file} -> ${spec}: ${reason}`);
    }
  }
  return violations;
}

const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');
// LAYOUT_ROOT points the check at another checkout (to see it fail on a tree that breaks the rules).
const checkedRoot = process.env.LAYOUT_ROOT ?? repoRoot;

describe('layout', () => {
  it('the product code keeps the boundaries', () => {
    const violations = treeViolations(checkedRoot);
    expect(violations, relative(repoRoot, checkedRoot) || '.').toEqual([]);
  });

  it('reads every kind of import specifier', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import './side-effect.ts';",
      "export { b } from '../b.ts';",
      "export * from 'pkg';",
      "const c = await import('./c.ts');",
      "const worker = new URL('./worker.ts', import.meta.url).href;",
      "// const d = await import('./commented.ts');",
      "import {\n  type E,\n  f,\n} from './multi-line.ts';",
    ].join('\n');
    expect(specifiersOf(source).sort()).toEqual(
      ['../b.ts', './a.ts', './c.ts', './multi-line.ts', './side-effect.ts', './worker.ts', 'pkg'].sort(),
    );
  });

  it('flags each kind of violation', () => {
    expect(layoutViolation('processors/redact/worker.ts', 'agent/pool/task.ts', true)).toMatch(/component/);
    expect(
      layoutViolation('exporters/file/transport.ts', 'agent/telemetry/self-metrics.ts', true),
    ).toBeDefined();
    expect(layoutViolation('agent/kit/component.ts', 'agent/telemetry/self-metrics.ts', true)).toMatch(/kit/);
    expect(layoutViolation('agent/kit/otlp/encoder.ts', 'exporters/otlp_http/config.ts', true)).toMatch(
      /kit/,
    );
    expect(layoutViolation('agent/pool/worker.ts', 'exporters/otlp/factory.ts', true)).toMatch(/component/);
    expect(layoutViolation('agent/demo/demo-stats.ts', 'processors/redact/entity.ts', true)).toBeDefined();
    expect(layoutViolation('receivers/filelog/receiver.ts', 'test/support/clock.ts', true)).toMatch(/test/);
    expect(layoutViolation('agent/cli.ts', 'bench/load.ts', true)).toMatch(/bench/);
  });

  it('lets the allowed imports through', () => {
    expect(
      layoutViolation('processors/redact/worker.ts', 'agent/kit/worker/processor.ts', true),
    ).toBeUndefined();
    expect(layoutViolation('agent/kit/component.ts', 'zod', false)).toBeUndefined();
    expect(layoutViolation('agent/kit/otlp/encoder.ts', 'node:fs', false)).toBeUndefined();
    expect(layoutViolation(REGISTRY, 'processors/redact/factory.ts', true)).toBeUndefined();
    expect(layoutViolation('agent/pool/worker.ts', 'agent/kit/otlp/encoder.ts', true)).toBeUndefined();
    expect(
      layoutViolation('processors/rbac/config.ts', 'processors/rbac/policy-file.ts', true),
    ).toBeUndefined();
  });

  it('finds violations in a tree that has them', () => {
    const root = mkdtempSync(join(tmpdir(), 'layout-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('agent/demo/demo-stats.ts', "import { x } from '../../processors/redact/entity.ts';\n");
    write('agent/components.ts', "export { f } from '../processors/redact/factory.ts';\n");
    write(
      'processors/redact/factory.ts',
      "const w = new URL('../../agent/pool/worker.ts', import.meta.url);\n",
    );
    write('receivers/filelog/factory.ts', "import type { T } from '../../agent/kit/component.ts';\n");
    write('exporters/file/transport.ts', "const t = await import('../../test/support/clock.ts');\n");
    try {
      expect(treeViolations(root).sort()).toEqual([
        'agent/demo/demo-stats.ts -> ../../processors/redact/entity.ts: agent/ imports a component outside agent/components.ts',
        'exporters/file/transport.ts -> ../../test/support/clock.ts: product code imports test/ or bench/',
        'processors/redact/factory.ts -> ../../agent/pool/worker.ts: a component imports agent/ outside agent/kit/',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
