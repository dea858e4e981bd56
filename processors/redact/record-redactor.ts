// Redacts one record: every string attribute (headers by their meaning, the rest by the text
// detectors), then the body. The body is the original line, so it gets the same replacements as
// the attributes: a header value masked in its attribute is masked where it appears in the line,
// and the text detectors give the same pseudonym for the same IP or email. Spans are found on the
// original string and replaced once, so a replacement is never scanned again.
import type { Attributes, AttributeValue, LogRecord } from '../../agent/kit/record/record.ts';
import type { AllowList } from './allow-list.ts';
import type { Entity } from './entity.ts';
import { Uninspectable } from './fail-closed.ts';
import type { HeaderRules } from './header-rules.ts';
import type { Replacement } from './replacement.ts';
import { type Finding, resolveOverlaps, type TextScanner } from './text-scanner.ts';

interface Literal {
  value: string;
  replacement: string;
  entity: Entity;
}

export interface RedactorParts {
  scanner: TextScanner;
  headers: HeaderRules;
  replacement: Replacement;
  allow: AllowList;
  count: (entity: Entity) => void;
  maxValueSize: number;
}

interface Memo {
  out: string;
  counted: readonly Entity[];
  dropped: boolean;
  literal: Entity | undefined;
}

// Most attribute values repeat from record to record (methods, clusters, user agents, pod IPs):
// their result is memoised per attribute name. Scanning every string attribute was ~60 % of the
// cost on the demo traffic (bench/redact.bench.ts).
const MEMO_LIMIT = 8192;

const MEMO_MAX_LENGTH = 256;
const QUIET_MAX_LENGTH = 256;
// An attribute whose values rarely repeat (request ids, addresses with ports) costs more to memoise
// than to scan: after MEMO_TRIAL lookups with fewer than half hits its memo is dropped for good.
const MEMO_TRIAL = 2048;

interface AttributeMemo {
  values: Map<string, Memo>;
  lookups: number;
  hits: number;
  /**
   * The previous record's value and its result: consecutive lines of a proxy repeat most values, and
   * comparing with the last one costs less than hashing a fresh string for the map. redact alone on
   * the demo traffic with hash_key: 131.6k-136.7k -> 143.8k-149.1k lines/CPU-s (bench/RESULTS.md).
   */
  lastValue: string | undefined;
  last: Memo | undefined;
}

const NO_COUNTS: readonly Entity[] = [];

export class RecordRedactor {
  readonly #parts: RedactorParts;
  readonly #memo = new Map<string, AttributeMemo | null>();
  /** Whether a memoised result is being computed (its counts are collected in #counted). */
  #recording = false;
  #counted: Entity[] | undefined;
  /** Values replaced in this record's attributes, for the body. */
  readonly #literals: Literal[] = [];
  /** Scratch for the findings of one string (one string at a time: no allocation per string). */
  readonly #findings: Finding[] = [];
  #dropped = false;

  constructor(parts: RedactorParts) {
    this.#parts = parts;
  }

  /** Forgets memoised results (the hash key changed). */
  clearMemo(): void {
    this.#memo.clear();
  }

  /** Throws Uninspectable (or a detector's error) when the record cannot be fully inspected. */
  redact(r: LogRecord): void {
    this.#literals.length = 0;
    const a = r.attributes;
    for (const key in a) {
      const v = a[key];
      if (typeof v === 'string') {
        if (v.length === 0) continue;
        const out = v.length <= MEMO_MAX_LENGTH ? this.#memoised(v, key) : this.#string(v, key, true);
        if (this.#dropped) delete a[key];
        else if (out !== v) a[key] = out;
      } else if (typeof v === 'object' && v !== null) {
        a[key] = this.#nested(v, key);
      }
    }
    const body = r.body;
    if (typeof body === 'string') r.body = this.#body(body);
    else if (body !== null && body !== undefined) throw new Uninspectable('the body is not a string');
  }

  #memoised(v: string, attribute: string): string {
    let memo = this.#memo.get(attribute);
    if (memo === null) return this.#string(v, attribute, true);
    if (memo === undefined) {
      memo = { values: new Map(), lookups: 0, hits: 0, lastValue: undefined, last: undefined };
      this.#memo.set(attribute, memo);
    }
    if (++memo.lookups === MEMO_TRIAL && memo.hits * 2 < MEMO_TRIAL) {
      this.#memo.set(attribute, null);
      return this.#string(v, attribute, true);
    }
    let m = memo.lastValue === v ? memo.last : memo.values.get(v);
    if (m === undefined) {
      this.#recording = true;
      this.#counted = undefined;
      const literals = this.#literals.length;
      const out = this.#string(v, attribute, true);
      const literal = this.#literals.length > literals ? this.#literals[literals]!.entity : undefined;
      m = { out, counted: this.#counted ?? NO_COUNTS, dropped: this.#dropped, literal };
      this.#recording = false;
      this.#counted = undefined;
      if (memo.values.size >= MEMO_LIMIT) memo.values.clear();
      memo.values.set(v, m);
      memo.lastValue = v;
      memo.last = m;
      return out;
    }
    memo.lastValue = v;
    memo.last = m;
    memo.hits++;
    for (const e of m.counted) this.#parts.count(e);
    if (m.literal !== undefined) this.#literals.push({ value: v, replacement: m.out, entity: m.literal });
    this.#dropped = m.dropped;
    return m.out;
  }

  #string(s: string, attribute: string, header: boolean): string {
    if (s.length > this.#parts.maxValueSize) throw new Uninspectable('a value exceeds max_value_size');
    // A value that neither its header name nor any detector gives a finding (quiet-value.ts): most
    // values that miss the memo (ports, request ids), at a fraction of a scan.
    if (
      s.length <= QUIET_MAX_LENGTH &&
      this.#parts.headers.findsNothing(attribute, s) &&
      this.#parts.scanner.quiet(s)
    ) {
      this.#dropped = false;
      return s;
    }
    const findings = this.#findings;
    findings.length = 0;
    const byMeaning = header && this.#parts.headers.find(attribute, s, findings);
    if (!byMeaning) this.#parts.scanner.scan(s, findings);
    if (findings.length === 0) {
      this.#dropped = false;
      return s;
    }
    const out = this.#rewrite(s, findings, attribute);
    // Every value replaced in an attribute is replaced where it stands in the line too, whatever
    // found it: the line's own scan misses some forms the attribute had (an IP the parser split from
    // its port, `203.0.113.7:41234`), and the line must not keep what the attribute hides.
    if (out !== s) this.#literals.push({ value: s, replacement: out, entity: findings[0]!.entity });
    return out;
  }

  /** Lists and maps are scanned element by element; a `drop` there masks the element's span. */
  #nested(v: Exclude<AttributeValue, string | null>, attribute: string): AttributeValue {
    if (v instanceof Uint8Array) throw new Uninspectable('a byte attribute');
    // Copied only when an element changes: a list such as rbac's audience is often one object
    // shared by many records, and a copy per record was garbage for nothing.
    if (Array.isArray(v)) {
      let copy: typeof v | undefined;
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (typeof e !== 'string') continue;
        const out = this.#string(e, attribute, false);
        if (out === e) continue;
        copy ??= v.slice();
        copy[i] = out;
      }
      return copy ?? v;
    }
    if (typeof v !== 'object') return v;
    let kv: Attributes | undefined;
    for (const k in v.kvlist) {
      const e = v.kvlist[k]!;
      let out: AttributeValue = e;
      if (typeof e === 'string') out = this.#string(e, `${attribute}.${k}`, false);
      else if (typeof e === 'object' && e !== null) out = this.#nested(e, `${attribute}.${k}`);
      if (out === e) continue;
      kv ??= { ...v.kvlist };
      kv[k] = out;
    }
    return kv === undefined ? v : { kvlist: kv };
  }

  #body(body: string): string {
    if (body.length > this.#parts.maxValueSize) throw new Uninspectable('the body exceeds max_value_size');
    const findings = this.#findings;
    findings.length = 0;
    for (const l of this.#literals) literalSpans(body, l, findings);
    this.#parts.scanner.scan(body, findings);
    return findings.length === 0 ? body : this.#rewrite(body, findings, undefined);
  }

  /** Replaces the findings of `s`; sets #dropped when an action is `drop` (masked in the text). */
  #rewrite(s: string, findings: Finding[], attribute: string | undefined): string {
    const { replacement, allow, count } = this.#parts;
    this.#dropped = false;
    let out = '';
    let pos = 0;
    for (const f of resolveOverlaps(findings)) {
      let text = f.replacement;
      if (text === undefined) {
        const value = f.value ?? s.slice(f.start, f.end);
        const action = replacement.action(f.entity);
        if (action === 'off' || allow.allows(f.entity, value, attribute)) continue;
        if (action === 'drop') this.#dropped = true;
        text = replacement.text(f.entity, value);
      }
      count(f.entity);
      if (this.#recording) {
        if (this.#counted === undefined) this.#counted = [];
        this.#counted.push(f.entity);
      }
      out += s.slice(pos, f.start) + text;
      pos = f.end;
    }
    return pos === 0 ? s : out + s.slice(pos);
  }
}

/** Where a replaced header value appears in the line: as logged, or JSON-escaped in a JSON line. */
function literalSpans(body: string, l: Literal, out: Finding[]): void {
  const forms = [l.value];
  const escaped = JSON.stringify(l.value).slice(1, -1);
  if (escaped !== l.value) forms.push(escaped);
  const bounded = l.value.length < 8;
  for (const form of forms) {
    for (let at = body.indexOf(form); at >= 0; at = body.indexOf(form, at + form.length)) {
      const end = at + form.length;
      if (bounded && (isWordChar(body.charCodeAt(at - 1)) || isWordChar(body.charCodeAt(end)))) continue;
      out.push({ start: at, end, entity: l.entity, replacement: l.replacement });
    }
  }
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
