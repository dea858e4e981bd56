// Issue 21's Done-when: a generated corpus of secrets where real logs put them (test/support/
// redaction-corpus.ts, every class with its source) leaves 0 secrets in clear, recall per class
// printed; a corpus of benign look-alikes is kept byte for byte (at least 99 % of lines). Leaks and
// damage are reported by class and line number, never by value.
import { expect, it } from 'vitest';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { redactConfig } from '../../../../processors/redact/config.ts';
import { createProcessor } from '../../../../processors/redact/worker.ts';
import { testContext } from '../../../support/processor-context.ts';
import { benignCorpus21, secretCorpus21 } from '../../../support/redaction-corpus.ts';

const PER_CLASS = 400;

function scrubAll(lines: string[]): string[] {
  const process = createProcessor(redactConfig.parse({}), testContext('redact'));
  const records: LogRecord[] = lines.map((body) => ({
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body,
    attributes: {},
  }));
  process({ resource: {}, scope: { name: 't' }, records });
  return records.map((r) => r.body as string);
}

it('every class of the generated corpus: 0 secrets in clear', () => {
  const corpus = secretCorpus21(2026_12_07, PER_CLASS);
  expect(corpus.length).toBeGreaterThanOrEqual(5000);
  const out = scrubAll(corpus.map((c) => c.line));
  const perClass = new Map<string, { n: number; caught: number }>();
  const leaks: string[] = [];
  corpus.forEach((c, i) => {
    const tally = perClass.get(c.cls) ?? { n: 0, caught: 0 };
    perClass.set(c.cls, tally);
    tally.n++;
    const leaked = c.clear.findIndex((v) => out[i]!.includes(v));
    if (leaked < 0) tally.caught++;
    else leaks.push(`line ${i}: ${c.cls}, part ${leaked}`);
  });
  console.log(
    `generated corpus: ${corpus.length} lines\n${[...perClass]
      .map(([cls, t]) => `  ${cls}: recall ${((100 * t.caught) / t.n).toFixed(1)} % (${t.caught}/${t.n})`)
      .join('\n')}`,
  );
  expect(leaks.slice(0, 20)).toEqual([]);
});

it('benign look-alikes are kept byte for byte (at least 99 % of lines)', () => {
  const corpus = benignCorpus21(2026_12_08, PER_CLASS);
  const out = scrubAll(corpus.map((c) => c.line));
  const changed = new Map<string, number>();
  let kept = 0;
  corpus.forEach((c, i) => {
    if (out[i] === c.line) kept++;
    else changed.set(c.cls, (changed.get(c.cls) ?? 0) + 1);
  });
  console.log(
    `benign corpus: ${corpus.length} lines, ${((100 * kept) / corpus.length).toFixed(2)} % kept byte for byte; changed per class: ${JSON.stringify(Object.fromEntries(changed))}`,
  );
  expect(kept / corpus.length).toBeGreaterThanOrEqual(0.99);
});
