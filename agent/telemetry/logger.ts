// The agent's own log: JSON lines on stderr (stdout stays free for piping and the demo view).
import { type Logger, pino } from 'pino';

export function createLogger(level: string = process.env.MESHTAIL_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'meshtail' } }, pino.destination({ fd: 2, sync: false }));
}
