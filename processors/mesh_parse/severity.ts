// Proxy log levels to OTel severity numbers (logs data model: TRACE 1, DEBUG 5, INFO 9, WARN 13,
// ERROR 17, FATAL 21).
import type { LogRecord } from '../../agent/kit/record/record.ts';

const LEVELS: Record<string, [number, string]> = {
  trace: [1, 'TRACE'],
  debug: [5, 'DEBUG'],
  info: [9, 'INFO'],
  warn: [13, 'WARN'],
  warning: [13, 'WARN'],
  error: [17, 'ERROR'],
  critical: [21, 'FATAL'],
  fatal: [21, 'FATAL'],
};

/** Sets the severity from a level name; false when the name is no level. */
export function setSeverity(r: LogRecord, level: string): boolean {
  const s = LEVELS[level.toLowerCase()];
  if (!s) return false;
  r.severityNumber = s[0];
  r.severityText = s[1];
  return true;
}
