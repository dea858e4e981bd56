// Scans one string with every enabled detector and returns its findings sorted and without
// overlaps. Detectors whose entity is off are left out when the scanner is built, so a disabled
// detector costs nothing per string.
import type { Entity } from './entity.ts';
import { AWS_SECRET_NEAR, AWS_SECRET_WINDOW, compileDetectors, type Detector } from './text-detectors.ts';

export interface Finding {
  start: number;
  end: number;
  entity: Entity;
  /** Set for spans whose replacement is already known (a header value masked in its attribute). */
  replacement?: string;
}

export class TextScanner {
  readonly #detectors: Detector[];
  readonly #enabled: (entity: Entity) => boolean;
  readonly #awsSecret: boolean;

  constructor(queryKeys: readonly string[], enabled: (entity: Entity) => boolean) {
    this.#enabled = enabled;
    // The Bearer/Basic detector also reports JWTs and Basic credentials.
    const wanted = (e: Entity) => enabled(e) || (e === 'bearer' && (enabled('basic') || enabled('jwt')));
    this.#detectors = compileDetectors(queryKeys).filter((d) => wanted(d.entity));
    this.#awsSecret = enabled('aws_secret_key');
  }

  /** Appends the findings of `s` to `out` (unsorted, possibly overlapping). */
  scan(s: string, out: Finding[]): void {
    let aws = false;
    for (const d of this.#detectors) {
      if (d.needle !== undefined && !d.needle(s)) continue;
      const re = d.re;
      re.lastIndex = 0;
      for (let m = re.exec(s); m !== null; m = re.exec(s)) {
        const entity = d.classify === undefined ? d.entity : d.classify(m);
        if (entity === undefined || !this.#enabled(entity)) continue;
        const end = m.index + m[0].length;
        out.push({ start: end - (d.group === 0 ? m[0] : m[d.group]!).length, end, entity });
        if (entity === 'aws_access_key') aws = true;
      }
    }
    if (aws && this.#awsSecret) this.#nearAwsKeys(s, out);
  }

  #nearAwsKeys(s: string, out: Finding[]): void {
    const ids = out.filter((f) => f.entity === 'aws_access_key');
    const re = AWS_SECRET_NEAR;
    re.lastIndex = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const at = m.index;
      if (ids.some((f) => at < f.end + AWS_SECRET_WINDOW && f.start < at + 40 + AWS_SECRET_WINDOW))
        out.push({ start: at, end: at + 40, entity: 'aws_secret_key' });
    }
  }
}

/**
 * Sorts findings by position; overlapping ones become one span (the union, with the first's
 * entity), so no part of either is left in clear.
 */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  findings.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [findings[0]!];
  for (let i = 1; i < findings.length; i++) {
    const f = findings[i]!;
    const last = out[out.length - 1]!;
    if (f.start >= last.end) out.push(f);
    else if (f.end > last.end) out[out.length - 1] = { start: last.start, end: f.end, entity: last.entity };
  }
  return out;
}
