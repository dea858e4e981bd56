// NAB's request-count series (realTraffic, the AWS ELB request count, realTweets) replayed as one
// destination's traffic at their own 5-minute scale through the anomaly engine (bucket 5m, event
// time), firing alerts scored with NAB's standard profile (bench/nab/nab-score.ts, checked against
// NAB's published scores by bench/nab/check-scorer.ts). Each row's value is that bucket's count of
// requests frontend→reviews, handed to the engine as the aggregate the worker part would emit.
// Data: a git mirror of numenta/NAB (NAB_REPO). Run: npx node bench/nab.bench.ts
import { emptyBucket } from '../processors/anomaly/aggregate.ts';
import { anomalyConfig } from '../processors/anomaly/config.ts';
import { AnomalyEngine } from '../processors/anomaly/engine.ts';
import { nabFile, nabList, readCsv, windowsOf } from './nab/nab-data.ts';
import { normalized, STANDARD, scoreFile } from './nab/nab-score.ts';

const FILES = [
  ...nabList('data/realTraffic'),
  'data/realAWSCloudwatch/elb_request_count_8c0756.csv',
  ...nabList('data/realTweets'),
];
const labels = JSON.parse(nabFile('labels/combined_windows.json'));
const config = anomalyConfig.parse({ bucket: '5m', allowed_lateness: '0s', max_gap: '1h' });
const BUCKET = config.bucket;

const rows: string[] = [];
let sum = 0;
for (const path of FILES) {
  const file = path.replace('data/', '');
  const csv = readCsv(nabFile(path));
  const engine = new AnomalyEngine(config);
  const detected = new Array<boolean>(csv.times.length).fill(false);
  let fired = 0;
  for (let i = 0; i < csv.times.length; i++) {
    const t = csv.times[i] as number;
    const start = t - (t % BUCKET);
    const n = Math.max(0, Math.round(csv.values[i] as number));
    const b = emptyBucket(start);
    if (n > 0) {
      b.records = n;
      b.requests.set('reviews', n);
      b.pairs.set('frontend→reviews', n);
      b.sources.set('frontend', n);
    }
    for (const j of engine.add({ buckets: [b], newest: start + BUCKET, late: 0 }))
      for (const e of j.events) {
        if (e.state !== 'firing') continue;
        fired++;
        // An alert in a bucket without a row (series sampled every 10 or 14 minutes, gaps) is
        // reported at the next row, as a detector that answers per row would.
        const row = nextRow(csv.times, e.at - BUCKET);
        if (row !== undefined) detected[row] = true;
      }
  }
  const f = scoreFile(detected, windowsOf(labels, file, csv.times), STANDARD);
  const score = normalized([f], STANDARD);
  sum += score;
  rows.push(
    `| ${file} | ${csv.times.length} | ${f.windows} | ${fired} | ${f.windows - f.missed} | ${score.toFixed(1)} |`,
  );
}
/** The first row at or after `t`. */
function nextRow(times: readonly number[], t: number): number | undefined {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length ? lo : undefined;
}

console.log('| series | rows | windows | alerts fired | windows hit | NAB standard score |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\nmean standard score over ${FILES.length} series: ${(sum / FILES.length).toFixed(1)}`);
