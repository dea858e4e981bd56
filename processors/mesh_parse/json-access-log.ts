// Envoy/Istio JSON access logs. Values come typed (Envoy ≥1.19 writes numbers and null) or as text
// ("-" for unset, what older proxies and Istio's string labels print); keys may be missing. Keys
// that a declared JSON format explains map through its operators; the rest through Istio's default
// key names (field-key.ts), request-header-like keys to http.request.header.<name>.
import { Fields, jsonKey, operatorKey, setField } from './field-key.ts';

export interface JsonFormat {
  name: string;
  /** JSON key → canonical field key. */
  keys: Map<string, string>;
}

const OPERATOR = /^%([A-Z][A-Z0-9_]*)(?:\((.*)\))?(?::\d+)?%$/s;

/** A user-declared Envoy JSON format (`{"key": "%OPERATOR%", ...}`), compiled once. */
export function compileJsonFormat(name: string, format: string): JsonFormat {
  const spec = JSON.parse(format) as Record<string, unknown>;
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(spec)) {
    const m = typeof value === 'string' ? OPERATOR.exec(value) : null;
    keys.set(key, m ? operatorKey(m[1]!, m[2]) : `op:${key}`);
  }
  return { name, keys };
}

/** The fields of a JSON access-log entry, and the name of the format that explains all its keys. */
export function jsonAccessFields(
  o: Record<string, unknown>,
  formats: readonly JsonFormat[],
): { fields: Fields; format: string } | undefined {
  const fields = new Fields();
  let format: JsonFormat | undefined;
  for (const f of formats) {
    let all = true;
    for (const key in o) {
      if (!f.keys.has(key)) {
        all = false;
        break;
      }
    }
    if (all) {
      format = f;
      break;
    }
  }
  for (const key in o) {
    const v = o[key];
    if (v === null || v === '-' || v === '') continue;
    setField(fields, format?.keys.get(key) ?? jsonKey(key), v);
  }
  const f = fields;
  if (
    f.code === undefined &&
    f.method === undefined &&
    f.upstream_cluster === undefined &&
    f.duration === undefined
  )
    if (f.start_time === undefined && f.path === undefined) return undefined;
  return { fields, format: format?.name ?? 'envoy_json' };
}
