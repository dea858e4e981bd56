// Decides what one line is and parses it: an access log (Envoy/Istio text in any declared or
// built-in format, Envoy/Istio JSON, Linkerd apache/json, ztunnel access), a proxy log line
// (pilot-agent/ztunnel/Envoy-under-Istio tab lines, plain Envoy, Linkerd text/JSON), or neither,
// which keeps its body and says why in meshtail.parse.error. Formats are compiled once here.

import { PARSE_ERROR_ATTRIBUTE } from '../../agent/kit/attributes.ts';
import type { LogRecord } from '../../agent/kit/record/record.ts';
import { applyAccessFields } from './access-record.ts';
import { BUILTIN_FORMATS } from './builtin-formats.ts';
import type { MeshParseConfig } from './config.ts';
import { compileTextFormat, type TextFormat } from './envoy-format.ts';
import type { Fields } from './field-key.ts';
import { compileJsonFormat, type JsonFormat, jsonAccessFields } from './json-access-log.ts';
import {
  applyLinkerdJsonAccess,
  applyLinkerdJsonLog,
  isLinkerdJsonAccess,
  isLinkerdJsonLog,
  parseLinkerdApache,
  parseLinkerdText,
} from './linkerd-log.ts';
import { jsonErrorReason } from './parse-error.ts';
import { applyProxyLine, parseEnvoyLogLine, parseTabLine } from './proxy-log.ts';
import { scanTextLine } from './text-scan.ts';
import { applyZtunnelAccess } from './ztunnel-access.ts';

/** Parses a record's body in place; returns the access fields when it was an access log. */
export type LineParser = (r: LogRecord, line: string) => Fields | undefined;

/** Set when request text allowed more than one reading; the most restrictive one was kept. */
export const AMBIGUOUS_ATTRIBUTE = 'meshtail.parse.ambiguous';

const LOOKS_LIKE_ACCESS = /^\[\d{4}-\d\d-\d\dT/;

export function createLineParser(config: MeshParseConfig): LineParser {
  const text: TextFormat[] = [];
  const json: JsonFormat[] = [];
  for (const f of config.formats) {
    if (f.format.trimStart().startsWith('{')) json.push(compileJsonFormat(f.name, f.format));
    else text.push(compileTextFormat(f.name, f.format));
  }
  for (const name of config.builtin_formats) text.push(compileTextFormat(name, BUILTIN_FORMATS[name]));
  // A file is written in one format: the one that matched last is tried first.
  let last = 0;

  const matchText = (r: LogRecord, line: string): Fields | undefined => {
    for (let k = 0; k < text.length; k++) {
      const i = (k + last) % text.length;
      const f = text[i]!;
      if (!line.startsWith(f.prefix)) continue;
      const m = scanTextLine(f, line);
      if (!m) continue;
      last = i;
      applyAccessFields(r, m.fields, f.name);
      // A literal key (named store, access-labels.ts); `satisfies` ties it to the constant.
      if (m.ambiguous) r.attributes['meshtail.parse.ambiguous' satisfies typeof AMBIGUOUS_ATTRIBUTE] = true;
      return m.fields;
    }
    return undefined;
  };

  return (r, line) => {
    if (line.length === 0) return fail(r, 'empty line');
    if (line.charCodeAt(0) === 123 /* { */) return parseJson(r, line, json);
    const fields = matchText(r, line);
    if (fields) return fields;
    if (line[0] === '[' && (parseEnvoyLogLine(r, line) || parseLinkerdText(r, line))) return undefined;
    const tab = line.indexOf('\t');
    if (tab > 0 && tab < 40) {
      const t = parseTabLine(r, line);
      if (t) {
        if (t.scope === 'access' && t.rest.length > 0)
          return applyZtunnelAccess(r, t.message, t.rest.join(' '));
        applyProxyLine(r, t, 'istio_proxy');
        return undefined;
      }
    }
    const apache = parseLinkerdApache(r, line);
    if (apache) return apache;
    return fail(
      r,
      LOOKS_LIKE_ACCESS.test(line)
        ? 'access log line in no known format: truncated, or a custom format missing from mesh_parse formats'
        : 'not a proxy log line: no Envoy/Istio (text or JSON), Linkerd, ztunnel or Envoy log format matched',
    );
  };
}

function parseJson(r: LogRecord, line: string, formats: readonly JsonFormat[]): Fields | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    return fail(r, jsonErrorReason(e));
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return fail(r, 'JSON line is not an object');
  const obj = o as Record<string, unknown>;
  if (isLinkerdJsonAccess(obj)) return applyLinkerdJsonAccess(r, obj);
  const access = jsonAccessFields(obj, formats);
  if (access) {
    applyAccessFields(r, access.fields, access.format);
    return access.fields;
  }
  if (isLinkerdJsonLog(obj)) {
    applyLinkerdJsonLog(r, obj);
    return undefined;
  }
  return fail(r, 'JSON object without access-log or proxy-log fields');
}

function fail(r: LogRecord, reason: string): undefined {
  r.attributes[PARSE_ERROR_ATTRIBUTE] = reason;
  return undefined;
}
