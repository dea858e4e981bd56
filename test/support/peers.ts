// The real peers the integration and end-to-end tests run against (the Collector, Jaeger, the OTLP
// decoder, logrotate, Alertmanager). `npm test` installs or builds each first (scripts/peers.sh), so a
// missing one is an error that says how to get it, never a skipped suite.
import { existsSync } from 'node:fs';

/** The path of a peer's binary, or an error naming it and the command that provides it. */
export function requirePeer(name: string, candidates: readonly string[], provide: string): string {
  const found = candidates.find((p) => existsSync(p));
  if (found !== undefined) return found;
  throw new Error(
    `${name} not found at ${candidates.join(' or ')}; ${provide} (npm test runs scripts/peers.sh)`,
  );
}
