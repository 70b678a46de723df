// NAB standard-profile score of Cairn's detector beside NAB's Windowed Gaussian and the null detector, on ../shared/data/nab.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseNabTimestamp,
  scoreNabCorpus,
  type NabCorpusResult,
  type NabFile,
} from '../backend-bridge/src/domain/anomaly/nabScorer.js';
import { RobustEnsembleDetector } from '../backend-bridge/src/domain/anomaly/robustEnsembleDetector.js';
import { SilentDetector, WindowedGaussianDetector } from '../backend-bridge/src/domain/anomaly/windowedGaussian.js';
import type { StreamingAnomalyDetector } from '../backend-bridge/src/domain/anomaly/types.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nabRoot = resolve(repoRoot, '../shared/data/nab');

interface NabSeries {
  name: string;
  timestamps: number[];
  values: number[];
  windows: [number, number][];
}

function loadSeries(): NabSeries[] {
  const labels = JSON.parse(readFileSync(join(nabRoot, 'labels/combined_windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const series: NabSeries[] = [];
  for (const dir of readdirSync(join(nabRoot, 'data')).sort()) {
    for (const file of readdirSync(join(nabRoot, 'data', dir)).sort()) {
      if (!file.endsWith('.csv')) continue;
      const name = `${dir}/${file}`;
      const lines = readFileSync(join(nabRoot, 'data', dir, file), 'utf8')
        .split('\n')
        .slice(1);
      const timestamps: number[] = [];
      const values: number[] = [];
      for (const line of lines) {
        if (line.trim() === '') continue;
        const [t, v] = line.split(',');
        timestamps.push(parseNabTimestamp(t ?? ''));
        values.push(Number(v));
      }
      const windows = (labels[name] ?? []).map(([a, b]): [number, number] => [
        parseNabTimestamp(a),
        parseNabTimestamp(b),
      ]);
      series.push({ name, timestamps, values, windows });
    }
  }
  return series;
}

function run(series: NabSeries[], make: () => StreamingAnomalyDetector): { files: NabFile[]; seconds: number } {
  const started = process.hrtime.bigint();
  const files = series.map((s) => {
    const detector = make();
    const scores = s.values.map((v, i) => detector.score(s.timestamps[i] ?? 0, v));
    return { name: s.name, timestamps: s.timestamps, scores, windows: s.windows };
  });
  return { files, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const detectors: [string, () => StreamingAnomalyDetector][] = [
  ['cairn', () => new RobustEnsembleDetector()],
  ['windowedGaussian', () => new WindowedGaussianDetector()],
  // NAB's published result files hold Python 2 str(float), 12 significant digits, which turns 0.99999999999999 into 1.0.
  ['WG as NAB files', () => roundedTo12Digits(new WindowedGaussianDetector())],
  ['null', () => new SilentDetector()],
];

function roundedTo12Digits(d: StreamingAnomalyDetector): StreamingAnomalyDetector {
  return { score: (t, v) => Number(d.score(t, v).toPrecision(12)) };
}

const series = loadSeries();
const results: { name: string; result: NabCorpusResult; seconds: number; points: number }[] = [];
for (const [name, make] of detectors) {
  const { files, seconds } = run(series, make);
  results.push({
    name,
    result: scoreNabCorpus(files),
    seconds,
    points: files.reduce((a, f) => a + f.scores.length, 0),
  });
}

const fmt = (x: number | null, w = 9): string => (x === null ? '-' : x.toFixed(1)).padStart(w);
const out: string[] = [];
out.push(`NAB standard profile (A_TP=1, A_FP=0.11, A_FN=1), ${series.length} series from ../shared/data/nab`);
out.push(
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}  node ${process.version}`
);
out.push('');
out.push(`${'file'.padEnd(58)} win ${results.map((r) => r.name.slice(0, 16).padStart(17)).join('')}`);
out.push(`${''.padEnd(62)} ${results.map(() => '  norm  FP miss'.padStart(17)).join('')}`);
series.forEach((s, i) => {
  const cells = results.map((r) => {
    const f = r.result.files[i];
    return f
      ? `${fmt(f.normalizedScore, 6)}${String(f.falsePositives).padStart(4)}${String(f.missedWindows).padStart(5)}`.padStart(
          17
        )
      : '';
  });
  out.push(`${s.name.padEnd(58)} ${String(s.windows.length).padStart(3)} ${cells.join('')}`);
});
out.push('');
out.push(`${'TOTAL normalized score'.padEnd(62)} ${results.map((r) => fmt(r.result.normalizedScore, 17)).join('')}`);
out.push(`${'raw score'.padEnd(62)} ${results.map((r) => r.result.rawScore.toFixed(2).padStart(17)).join('')}`);
out.push(
  `${'shared threshold'.padEnd(62)} ${results.map((r) => r.result.threshold.toPrecision(6).padStart(17)).join('')}`
);
out.push(
  `${'detector points/s'.padEnd(62)} ${results
    .map((r) =>
      Math.round(r.points / r.seconds)
        .toString()
        .padStart(17)
    )
    .join('')}`
);
out.push('');
out.push(
  'Published, same 28 files (README): Numenta HTM 72.3, CAD OSE 71.5, KNN CAD 57.1, Windowed Gaussian 26.5, null 0.'
);
const text = out.join('\n');
console.log(text);
mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(join(repoRoot, 'bench/results/nab.txt'), `${text}\n`);
