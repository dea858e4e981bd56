// The live view's request sections (recent requests, top call paths) and the backfill line, as text
// lines; denials are shown in bold on a terminal so a denial storm stands out.
import type { DemoStats } from './demo-stats.ts';
import type { RequestsSample } from './recent-requests.ts';
import { formatRequest } from './request-line.ts';

const MIB = 1024 * 1024;
const BOLD = (s: string) => `\x1b[1m${s}\x1b[0m`;

/** `backfill: 3.2 of 14.0 MiB (22%)` */
export function backfillText(b: DemoStats['backfill']): string {
  const percent = b.total > 0 ? Math.floor((100 * b.committed) / b.total) : 100;
  return `backfill: ${(b.committed / MIB).toFixed(1)} of ${(b.total / MIB).toFixed(1)} MiB (${percent}%)`;
}

export function requestPanel(s: RequestsSample): string[] {
  const lines = ['', BOLD('  recent requests') + '  (read back from export.jsonl)'];
  if (s.recent.length === 0) lines.push('    (none exported yet)');
  for (const r of s.recent) {
    const text = `    ${formatRequest(r)}`;
    lines.push(r.denied ? BOLD(text) : text);
  }
  lines.push('', `${BOLD('  top call paths')}  (one per call, from the caller's proxy)`);
  const width = Math.max(20, ...s.topPaths.map((p) => p.source.length + p.destination.length + 3));
  for (const p of s.topPaths) {
    lines.push(
      `    ${`${p.source} → ${p.destination}`.padEnd(width)}${p.calls.toLocaleString('en-US').padStart(10)}`,
    );
  }
  return lines;
}
