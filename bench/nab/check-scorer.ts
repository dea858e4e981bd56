// Checks nab-score.ts against NAB's published results: the numenta detector's result files at its
// published standard threshold, scored here, against results/final_results.json, and per file
// against the S(t)_standard column NAB wrote. Run: npx node bench/nab/check-scorer.ts
import { nabFile, nabList, readCsv, windowsOf } from './nab-data.ts';
import { type FileScore, normalized, STANDARD, scoreFile } from './nab-score.ts';

const detector = process.argv[2] ?? 'numenta';
const labels = JSON.parse(nabFile('labels/combined_windows.json'));
const threshold = JSON.parse(nabFile('config/thresholds.json'))[detector].standard.threshold as number;
const published = JSON.parse(nabFile('results/final_results.json'))[detector].standard as number;
const files: FileScore[] = [];
let worst = 0;
for (const path of nabList(`results/${detector}`)) {
  const csv = readCsv(nabFile(path));
  const dataFile = path.replace(`results/${detector}/`, '').replace(`/${detector}_`, '/');
  if (!(dataFile in labels)) continue; // the per-profile summary tables
  const score = csv.columns.indexOf('anomaly_score');
  const st = csv.columns.indexOf('S(t)_standard');
  const detected = csv.rows.map((r) => Number(r[score]) >= threshold);
  const f = scoreFile(detected, windowsOf(labels, dataFile, csv.times), STANDARD);
  const theirs = csv.rows.reduce((s, r) => s + Number(r[st]), 0);
  worst = Math.max(worst, Math.abs(theirs - f.raw));
  files.push(f);
}
console.log(
  `${detector}: ${files.length} files; standard score here ${normalized(files, STANDARD).toFixed(2)}, ` +
    `published ${published.toFixed(2)}; largest per-file difference of the raw score from the sum of NAB's S(t)_standard column ${worst.toExponential(2)}`,
);
