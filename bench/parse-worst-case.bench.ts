// mesh_parse on crafted lines, the worst case a client can send: each shape below is built to hit
// one parser's slow path (a path full of copies of the Istio tail, runs of one character class that
// a regex would rescan from every position, quotes, brackets, spaces), at sizes up to 1 MiB. One
// record per batch through createProcessor(meshParseConfig.parse({})) (every built-in format), best of ROUNDS in CPU time,
// on one thread. Results and the command: bench/RESULTS.md.
// Run: node bench/parse-worst-case.bench.ts [maxKiB]   (Node 24)
import os from 'node:os';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor } from '../processors/mesh_parse/worker.ts';

const ROUNDS = 3;
const maxKiB = Number(process.argv[2] ?? 1024);
const SIZES = [1, 4, 16, 64, 256, 1024].filter((k) => k <= maxKiB);

const TIME = '[2024-05-05T05:05:05.123Z]';
const TAIL =
  ' HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl" "id" "web:80" "-" ' +
  'inbound|80|| - 10.0.0.5:80 10.0.0.9:4000 outbound_.80_._.web.default.svc.cluster.local -';
const FAKE = ' HTTP/1.1" 200 - via_upstream - "-" 0 0 0 0 "';

const fill = (unit: string, bytes: number) => unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));

/** name → line of about `bytes` characters. */
const SHAPES: Record<string, (bytes: number) => string> = {
  'istio: path of fake tails': (n) => `${TIME} "GET /x${fill(FAKE, n)}${TAIL}`,
  'istio: fake tails in the user agent': (n) =>
    `${TIME} "GET /x HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "${fill('" "-" "', n)}" "id" "web:80" "-" inbound|80|| - 10.0.0.5:80 10.0.0.9:4000 sni -`,
  'istio: quoted fields, no tail': (n) =>
    `${TIME} "GET /x HTTP/1.1" 200 - via_upstream - "-" 0 0 0 0 "${fill('" "', n)}`,
  'istio head, no tail (every format fails)': (n) => `${TIME} "GET /${fill('a', n)}`,
  'istio head, spaces': (n) => `${TIME} "GET /${fill(' a', n)}`,
  'istio head, quotes and spaces': (n) => `${TIME} "GET /${fill('" ', n)}`,
  brackets: (n) => fill('[', n),
  quotes: (n) => fill('"', n),
  'linkerd text, one word': (n) => `[   0.002s]  INFO ${fill('a', n)}`,
  'linkerd text, colons': (n) => `[   0.002s]  INFO ${fill('a:', n)}`,
  'linkerd apache, path of spaces': (n) =>
    `10.0.0.9:4000 - - [05/May/2024:05:05:05 +0000] "GET /${fill(' x"', n)}`,
  'ztunnel access, one word': (n) =>
    `2024-05-05T05:05:05.123456Z\tinfo\taccess\tconnection complete\t${fill('a', n)}`,
  'ztunnel access, open quote': (n) =>
    `2024-05-05T05:05:05.123456Z\tinfo\taccess\tconnection complete\tsrc.addr="${fill('\\a', n)}`,
  'envoy log line': (n) => `[2024-05-05 05:05:05.123][12][info][${fill('a', n)}`,
  'tab line': (n) => `2024-05-05T05:05:05.123456Z\tinfo\t${fill('a\t', n)}`,
  'json, long string': (n) => `{"a":"${fill('x', n)}`,
};

const parse = createProcessor(meshParseConfig.parse({}));
const resource = {};
/** Best of ROUNDS, in CPU milliseconds of this process (wall time swings with the machine's load). */
function timeOne(line: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i++) {
    const batch = { resource, scope: { name: 'bench' }, records: [rawRecord(line, 0n)] };
    const start = process.cpuUsage();
    parse(batch);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const cpus = os.cpus();
console.log(`node ${process.version}, ${cpus.length}x ${cpus[0]?.model}, best of ${ROUNDS}, CPU ms per line`);
console.log(`| shape | ${SIZES.map((k) => `${k} KiB`).join(' | ')} |`);
console.log(`|---|${SIZES.map(() => '---:').join('|')}|`);
const worst = SIZES.map(() => 0);
for (const [name, make] of Object.entries(SHAPES)) {
  const cells = SIZES.map((k, i) => {
    const ms = timeOne(make(k * 1024));
    worst[i] = Math.max(worst[i]!, ms);
    return ms.toFixed(2);
  });
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
console.log(`| **worst** | ${worst.map((ms) => `**${ms.toFixed(2)}**`).join(' | ')} |`);
