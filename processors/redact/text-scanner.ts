// Scans one string in one pass: a loop over its characters finds word starts and the few
// separators that open a context (`=`, `:`, `', '`, `@`, `+`, `(`), and only there are detectors
// tried (text-detectors.ts, number-run.ts, context-detectors.ts). A string with escapes is also scanned
// percent-decoded (repeatedly) and JSON-unescaped, and a finding there masks the span it came from.
// Replaced the per-detector regexes that cost ~30 µs a line (bench/RESULTS.md, redact).

import { type ContextOptions, emailAt, keyValueAt } from './context-detectors.ts';
import { base64Text, compose, jsonUnescaped, percentDecoded, type View } from './decoded-view.ts';
import { ENTITIES, type Entity } from './entity.ts';
import { ipEntity, ipv4Entity } from './ip-address.ts';
import { lastOctets, numberRun } from './number-run.ts';
import { quietValue } from './quiet-value.ts';
import { hasSecretEnding } from './secret-key.ts';
import {
  base64Candidate,
  base64End,
  catalogueAt,
  catalogueIndex,
  type Finding,
  ibanAt,
  pairKey,
  schemeAt,
  USER_PASSWORD,
} from './text-detectors.ts';

export type { Finding };

const MAX_DECODE_DEPTH = 3;
const AWS_SECRET_NEAR = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_SECRET_WINDOW = 200;
const IPV6 =
  /(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}(?:\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])/g;
const FULL_IPV6 = /[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}/;
const VERSION_BEFORE = /(?:version|ver|release|build|v)\s*[:=]?\s*$/i;

// Characters of a word: [A-Za-z0-9_-].
const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9_-]/.test(String.fromCharCode(c))) WORD[c] = 1;
const isWord = (c: number) => c < 128 && WORD[c] === 1;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isBase64 = (c: number) => isLetter(c) || isDigit(c) || c === 43 || c === 47 || c === 61;

export class TextScanner {
  readonly #enabled: (entity: Entity) => boolean;
  /** Catalogue entries by the char codes of their first two characters (pairKey). */
  readonly #catalogue: Array<
    ReturnType<typeof catalogueIndex> extends Map<number, infer E> ? E | undefined : never
  >;
  /** 1 where #catalogue has entries: most word starts cost a typed-array read. */
  readonly #pairs: Uint8Array;
  readonly #awsSecret: boolean;
  readonly #context: ContextOptions;
  readonly #ipv6: boolean;
  /** The end of the last base64 run read: word starts inside it (after `/`, `+`) are not read again. */
  #base64Until = 0;

  constructor(queryKeys: readonly string[], enabled: (entity: Entity) => boolean) {
    // A plain object of booleans: the Map lookup behind a closure was ~2 % of a body scan.
    const on = Object.fromEntries(ENTITIES.map((e) => [e, enabled(e)])) as Record<Entity, boolean>;
    this.#enabled = (e) => on[e];
    const index = catalogueIndex(enabled);
    this.#catalogue = Array.from({ length: 128 * 128 }, (_, c) => index.get(c));
    this.#pairs = Uint8Array.from(this.#catalogue, (e) => (e === undefined ? 0 : 1));
    const keys = new Set(queryKeys.map((k) => k.toLowerCase()));
    this.#context = {
      enabled: this.#enabled,
      queryKeys: keys,
      endingsSuffice: [...keys].every((k) => hasSecretEnding(k, k.length)),
    };
    this.#awsSecret = enabled('aws_secret_key');
    this.#ipv6 = enabled('ip') || enabled('private_ip');
  }

  /** True when scan(s) would find nothing, proven by a cheaper pass (quiet-value.ts); false when unsure. */
  quiet(s: string): boolean {
    return quietValue(s, this.#enabled);
  }

  /** Appends the findings of `s` to `out` (unsorted, possibly overlapping). */
  scan(s: string, out: Finding[]): void {
    const from = out.length;
    this.#pass(s, out, 0);
    this.#decoded(s, out);
    if (this.#ipv6 && (s.includes('::') || fullIpv6(s))) this.#ipv6s(s, out);
    if (this.#awsSecret)
      for (let i = from; i < out.length; i++)
        if (out[i]!.entity === 'aws_access_key') {
          this.#nearAwsKeys(s, out, from);
          break;
        }
  }

  #decoded(s: string, out: Finding[]): void {
    // Most strings have no escape at all: no view, no arrays.
    if (s.indexOf('%') < 0 && s.indexOf('\\') < 0) return;
    let views: View[] = [];
    const p = percentDecoded(s);
    if (p) views.push(p);
    const j = jsonUnescaped(s);
    if (j) views.push(j);
    for (let depth = 1; depth <= MAX_DECODE_DEPTH && views.length > 0; depth++) {
      const next: View[] = [];
      for (const v of views) {
        const found: Finding[] = [];
        this.#pass(v.text, found, depth);
        for (const f of found)
          out.push({
            start: v.map[f.start]!,
            end: v.map[f.end]!,
            entity: f.entity,
            value: v.text.slice(f.start, f.end),
          });
        const vp = percentDecoded(v.text);
        if (vp) next.push(compose(v, vp));
        const vj = jsonUnescaped(v.text);
        if (vj) next.push(compose(v, vj));
      }
      views = next;
    }
  }

  /** One pass over `s`; depth > 0 in decoded views (no base64 there beyond the first level). */
  #pass(s: string, out: Finding[], depth: number): void {
    const n = s.length;
    const base64Until = this.#base64Until;
    this.#base64Until = 0;
    this.#loop(s, n, out, depth);
    this.#base64Until = base64Until;
  }

  #loop(s: string, n: number, out: Finding[], depth: number): void {
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isWord(c)) {
        // A word start; the rest of the word (and of what a detector read) is skipped in one
        // tight loop: per-character dispatch was ~1/3 of a body scan (bench/RESULTS.md, redact).
        const end = this.#wordStart(s, i, c, out, depth);
        let p = Math.max(end, i + 1);
        while (p < n && isWord(s.charCodeAt(p))) p++;
        i = p;
        continue;
      }
      let end = -1;
      if (c === 61 || c === 58) end = keyValueAt(s, i, c, out, this.#context);
      else if (c === 64) end = emailAt(s, i, out, this.#context);
      else if (c === 44 && (s.charCodeAt(i - 1) === 39 || s.charCodeAt(i - 1) === 34))
        end = keyValueAt(s, i, c, out, this.#context);
      else if ((c === 43 || c === 40) && isDigit(s.charCodeAt(i + 1))) end = this.#number(s, i, out);
      i = Math.max(end, i + 1);
    }
  }

  #wordStart(s: string, i: number, c: number, out: Finding[], depth: number): number {
    if (isDigit(c)) {
      // Most digit words are ports, sizes, codes and times: fewer than 7 digits and no group
      // separator (space, `-`, `.`) after them, which numberRun would read as nothing.
      let p = i + 1;
      while (isDigit(s.charCodeAt(p))) p++;
      const next = s.charCodeAt(p);
      if (p - i < 7 && next !== 32 && next !== 45 && next !== 46) return p;
      return this.#number(s, i, out);
    }
    const key = pairKey(s, i);
    const entries = key >= 0 && this.#pairs[key] === 1 ? this.#catalogue[key] : undefined;
    if (entries !== undefined) {
      const end = catalogueAt(s, i, entries, out);
      if (end > 0) return end;
    }
    if (c === 66 || c === 98) {
      const end = schemeAt(s, i, out, this.#enabled);
      if (end > 0) return end;
    }
    if (
      isLetter(c) &&
      isLetter(s.charCodeAt(i + 1)) &&
      isDigit(s.charCodeAt(i + 2)) &&
      isDigit(s.charCodeAt(i + 3)) &&
      this.#enabled('iban')
    ) {
      const end = ibanAt(s, i, out);
      if (end > 0) return end;
    }
    // A candidate has 16+ characters (base64Candidate): its 16th is base64 or `=` padding; most
    // words end sooner and skip the run scan (a shorter run holds no candidate, nor do its suffixes).
    if (depth <= 1 && c !== 45 && c !== 95 && i >= this.#base64Until && isBase64(s.charCodeAt(i + 15))) {
      const end = base64End(s, i);
      this.#base64Until = end;
      if (base64Candidate(s, i, end)) return this.#base64(s, i, end, out, depth);
    }
    return i;
  }

  /** A base64 word that decodes to `user:password` or to text holding a finding is masked whole. */
  #base64(s: string, start: number, end: number, out: Finding[], depth: number): number {
    const text = base64Text(s.slice(start, end));
    if (text === undefined) return start;
    let entity: Entity | undefined;
    if (USER_PASSWORD.test(text) && !text.includes('://')) entity = 'basic';
    else {
      const inner: Finding[] = [];
      this.#pass(text, inner, depth + 1);
      entity = inner.find((f) => this.#enabled(f.entity))?.entity;
    }
    if (entity === undefined || !this.#enabled(entity)) return start;
    out.push({ start, end, entity });
    return end;
  }

  #number(s: string, i: number, out: Finding[]): number {
    const run = numberRun(s, i);
    if (run.kind === undefined) return run.end;
    if (run.kind === 'ipv4') {
      const before = s.charCodeAt(i - 1);
      // A dotted quad after `/` (Chrome/131.0.0.0) or a version word is a version; `://` is a host.
      if (before === 47 && !(s.charCodeAt(i - 2) === 47 && s.charCodeAt(i - 3) === 58)) return run.end;
      if (isLetter(before) || (letterBefore(s, i) && VERSION_BEFORE.test(s.slice(Math.max(0, i - 10), i))))
        return run.end;
      const o = lastOctets(s);
      const entity = o && ipv4Entity(o[0]!, o[1]!, o[0]! + o[1]! + o[2]! + o[3]! === 0);
      if (entity && this.#enabled(entity)) out.push({ start: i, end: run.end, entity });
      return run.end;
    }
    if (this.#enabled(run.kind)) out.push({ start: run.start, end: run.end, entity: run.kind });
    return run.end;
  }

  #ipv6s(s: string, out: Finding[]): void {
    const re = IPV6;
    re.lastIndex = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const entity = ipEntity(m[0]);
      if (entity !== undefined && this.#enabled(entity))
        out.push({ start: m.index, end: m.index + m[0].length, entity });
    }
  }

  /** An AWS secret access key is only told apart from other base64 by an access key id near it. */
  #nearAwsKeys(s: string, out: Finding[], from: number): void {
    const ids = out.slice(from).filter((f) => f.entity === 'aws_access_key');
    const re = AWS_SECRET_NEAR;
    re.lastIndex = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const at = m.index;
      if (ids.some((f) => at < f.end + AWS_SECRET_WINDOW && f.start < at + 40 + AWS_SECRET_WINDOW))
        out.push({ start: at, end: at + 40, entity: 'aws_secret_key' });
    }
  }
}

/** Seven colons each after 1–4 hex digits in a row: a full IPv6 address (no regex per string). */
function fullIpv6(s: string): boolean {
  let chain = 0;
  let last = -1;
  for (let at = s.indexOf(':'); at >= 0; at = s.indexOf(':', at + 1)) {
    let k = at - 1;
    while (k > last && k >= at - 4 && isHex(s.charCodeAt(k))) k--;
    const run = at - 1 - k;
    chain = run >= 1 && (k === last || chain === 0) ? chain + 1 : run >= 1 ? 1 : 0;
    if (chain >= 7 && FULL_IPV6.test(s)) return true;
    last = at;
  }
  return false;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** A letter before `i`, past spaces, `=` and `:` (where a version word would stand). */
function letterBefore(s: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 61 || s.charCodeAt(k) === 58)) k--;
  return k >= 0 && isLetter(s.charCodeAt(k));
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
