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

// Values that come from the proxy's configuration, the parser or an enumeration, never from a
// request: not scanned (fail-closed.ts keeps the same names when it masks everything else).
const CONFIGURED = new Set([
  'meshtail.log.kind',
  'meshtail.log.format',
  'http.request.method',
  'network.protocol.name',
  'network.protocol.version',
  'envoy.response_code_details',
  'envoy.upstream_cluster',
  'envoy.route_name',
  'mesh.direction',
  'mesh.destination.service',
  'mesh.destination.namespace',
]);
const MEMO_MAX_LENGTH = 256;
// An attribute whose values rarely repeat (request ids, addresses with ports) costs more to memoise
// than to scan: after MEMO_TRIAL lookups with fewer than half hits its memo is dropped for good.
const MEMO_TRIAL = 2048;

interface AttributeMemo {
  values: Map<string, Memo>;
  lookups: number;
  hits: number;
}

const NO_COUNTS: readonly Entity[] = [];

export class RecordRedactor {
  readonly #parts: RedactorParts;
  readonly #memo = new Map<string, AttributeMemo | null>();
  /** Whether a memoised result is being computed (its counts are collected in #counted). */
  #recording = false;
  #counted: Entity[] | undefined;
  /** Header values replaced in this record, for the body. */
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
        if (v.length === 0 || (CONFIGURED.has(key) && v.length <= MEMO_MAX_LENGTH)) continue;
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
      memo = { values: new Map(), lookups: 0, hits: 0 };
      this.#memo.set(attribute, memo);
    }
    if (++memo.lookups === MEMO_TRIAL && memo.hits * 2 < MEMO_TRIAL) {
      this.#memo.set(attribute, null);
      return this.#string(v, attribute, true);
    }
    let m = memo.values.get(v);
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
      return out;
    }
    memo.hits++;
    for (const e of m.counted) this.#parts.count(e);
    if (m.literal !== undefined) this.#literals.push({ value: v, replacement: m.out, entity: m.literal });
    this.#dropped = m.dropped;
    return m.out;
  }

  #string(s: string, attribute: string, header: boolean): string {
    if (s.length > this.#parts.maxValueSize) throw new Uninspectable('a value exceeds max_value_size');
    const findings = this.#findings;
    findings.length = 0;
    const byMeaning = header && this.#parts.headers.find(attribute, s, findings);
    if (!byMeaning) this.#parts.scanner.scan(s, findings);
    if (findings.length === 0) {
      this.#dropped = false;
      return s;
    }
    const out = this.#rewrite(s, findings, attribute);
    if (byMeaning && out !== s)
      this.#literals.push({ value: s, replacement: out, entity: findings[0]!.entity });
    return out;
  }

  /** Lists and maps are scanned element by element; a `drop` there masks the element's span. */
  #nested(v: Exclude<AttributeValue, string | null>, attribute: string): AttributeValue {
    if (v instanceof Uint8Array) throw new Uninspectable('a byte attribute');
    if (Array.isArray(v))
      return v.map((e) => (typeof e === 'string' ? this.#string(e, attribute, false) : e));
    if (typeof v !== 'object') return v;
    const kv: Attributes = { ...v.kvlist };
    for (const k in kv) {
      const e = kv[k]!;
      if (typeof e === 'string') kv[k] = this.#string(e, `${attribute}.${k}`, false);
      else if (typeof e === 'object' && e !== null) kv[k] = this.#nested(e, `${attribute}.${k}`);
    }
    return { kvlist: kv };
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
