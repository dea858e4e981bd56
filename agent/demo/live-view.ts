// The demo's terminal view, redrawn once a second: a table on a terminal (plain ANSI escapes), or
// one summary line per second with --plain (CI, pipes), followed by at most one request line.
// It shows only counters that exist and requests that were actually exported.
import { type DemoAnomaly, formatAnomaly } from './anomaly-line.ts';
import { backfilling, type DemoStats, maskedText, ratePerSecond } from './demo-stats.ts';
import { formatRequest } from './request-line.ts';
import { backfillText, requestPanel } from './request-panel.ts';

const CLEAR = '\x1b[H\x1b[2J';
const BOLD = (s: string) => `\x1b[1m${s}\x1b[0m`;
const PHASES = { steady: 'steady traffic', burst: 'TRAFFIC BURST', deny_storm: 'RBAC DENIAL STORM (403)' };

const n = (v: number): string => Math.round(v).toLocaleString('en-US');
const cell = (v: string, width: number): string => v.padStart(width);

export class LiveView {
  readonly #plain: boolean;
  readonly #out: NodeJS.WritableStream;
  readonly #startedAt = Date.now();
  #previous: DemoStats | undefined;
  /** The last anomalies shown in the table, newest last. */
  #anomalies: DemoAnomaly[] = [];

  constructor(options: { plain: boolean; out: NodeJS.WritableStream }) {
    this.#plain = options.plain;
    this.#out = options.out;
  }

  render(s: DemoStats): void {
    const prev = this.#previous;
    const dt = prev ? s.atMs - prev.atMs : 0;
    const rate = (now: number, pick: (p: DemoStats) => number | undefined) =>
      ratePerSecond(now, prev ? pick(prev) : undefined, dt);
    this.#anomalies = [...this.#anomalies, ...s.requests.anomalies].slice(-6);
    this.#out.write(this.#plain ? this.#line(s, rate) : this.#table(s, rate));
    this.#previous = s;
  }

  #line(s: DemoStats, rate: (now: number, pick: (p: DemoStats) => number | undefined) => number): string {
    const parts = [
      `t=${Math.round((s.atMs - this.#startedAt) / 1000)}s`,
      `phase=${s.phase}`,
      `written=${s.written} (${n(rate(s.written, (p) => p.written))}/s)`,
      `rotations=${s.rotations}`,
      ...s.receivers.map((r) => `${r.id}.accepted=${r.accepted}`),
      ...s.pipelines.map(
        (p) => `${p.id}.records=${p.records} parse_errors=${p.parseErrors} dropped=${p.dropped}`,
      ),
      ...s.exporters.map(
        (e) => `${e.id}.sent=${e.sent} failed=${e.failed} dropped=${e.dropped} retries=${e.retries}`,
      ),
      `pool=${(s.pool.utilization * 100).toFixed(1)}% queued=${s.pool.queued}`,
      ...(backfilling(s) ? [backfillText(s.backfill).replace(': ', '=')] : []),
      // Last, as it reads in the table: `masked: query_secret 12 · ip 3,410`.
      ...(s.masked.length > 0 ? [maskedText(s)!] : []),
    ];
    const request = s.requests.highlight ? `  request: ${formatRequest(s.requests.highlight)}\n` : '';
    // One line per anomaly exported since the last line: each fires (and resolves) once.
    const anomalies = s.requests.anomalies.map((a) => `  anomaly: ${formatAnomaly(a)}\n`).join('');
    return `${parts.join(' ')}\n${request}${anomalies}`;
  }

  #table(s: DemoStats, rate: (now: number, pick: (p: DemoStats) => number | undefined) => number): string {
    const elapsed = Math.round((s.atMs - this.#startedAt) / 1000);
    const row = (kind: string, id: string, total: number, perSecond: number, note = '') =>
      `  ${kind.padEnd(10)}${id.padEnd(20)}${cell(n(total), 12)}${cell(n(perSecond), 10)}  ${note}`;
    const lines = [
      BOLD(`meshtail demo — ${s.pods} bookinfo pods writing Istio access logs (CRI)`) + `   ${elapsed}s`,
      `  now: ${PHASES[s.phase]}    Ctrl-C to stop`,
      '',
      `  ${''.padEnd(30)}${cell('total', 12)}${cell('per s', 10)}`,
      row(
        'simulator',
        'lines written',
        s.written,
        rate(s.written, (p) => p.written),
      ),
      row(
        '',
        'rotations',
        s.rotations,
        rate(s.rotations, (p) => p.rotations),
      ),
      ...s.receivers.map((r) =>
        row(
          'receiver',
          r.id,
          r.accepted,
          rate(r.accepted, (p) => p.receivers.find((x) => x.id === r.id)?.accepted),
          'accepted',
        ),
      ),
      ...s.pipelines.map((p) =>
        row(
          'pipeline',
          p.id,
          p.records,
          rate(p.records, (q) => q.pipelines.find((x) => x.id === p.id)?.records),
          `records; ${n(p.parseErrors)} with parse errors, dropped ${n(p.dropped)}`,
        ),
      ),
      ...s.exporters.map((e) =>
        row(
          'exporter',
          e.id,
          e.sent,
          rate(e.sent, (q) => q.exporters.find((x) => x.id === e.id)?.sent),
          `sent; failed ${n(e.failed)}, dropped ${n(e.dropped)}, retries ${n(e.retries)}`,
        ),
      ),
      `  ${'pool'.padEnd(10)}${'utilization'.padEnd(20)}${cell(`${(s.pool.utilization * 100).toFixed(1)}%`, 12)}` +
        `${cell(String(s.pool.queued), 10)}  queued tasks`,
      ...(backfilling(s) ? ['', BOLD(`  ${backfillText(s.backfill)}`)] : []),
      '',
      `  ${maskedText(s) ?? 'masked: (nothing yet)'}  (redact's counters)`,
      '',
      `${BOLD('  anomalies')}  (meshtail.anomaly.* records read back from export.jsonl)`,
      ...(this.#anomalies.length === 0 ? ['    (none yet)'] : []),
      ...this.#anomalies.map((a) =>
        a.state === 'firing' ? BOLD(`    ${formatAnomaly(a)}`) : `    ${formatAnomaly(a)}`,
      ),
      ...requestPanel(s.requests),
    ];
    return `${CLEAR}${lines.join('\n')}\n`;
  }
}
