// Baseline recompute for 100 services × 28 days of 1-minute points, and streaming scorer points/s on one core.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mean, standardDeviation } from 'simple-statistics';
import { RobustEnsembleDetector } from '../backend-bridge/src/domain/anomaly/robustEnsembleDetector.js';
import { WindowedGaussianDetector } from '../backend-bridge/src/domain/anomaly/windowedGaussian.js';
import { SignalScorer } from '../backend-bridge/src/domain/baselines/signalScorer.js';
import {
  buildSeasonalBaseline,
  hourOfWeekSlot,
  seasonalBand,
  type TimedValue,
} from '../backend-bridge/src/domain/baselines/seasonalBaseline.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = 100;
const DAYS = 28;
const POINTS = DAYS * 1440;
const START = Date.UTC(2024, 0, 1);

/** Synthetic per-minute request volume: daily and weekly cycle, a trend, noise and a one-hour incident. */
function serviceSeries(service: number): TimedValue[] {
  let seed = service * 7919 + 1;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const base = 50 + 20 * (service % 10);
  const incidentAt = Math.floor(rnd() * (POINTS - 60));
  const out: TimedValue[] = new Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    const t = START + i * 60_000;
    const hour = (i / 60) % 24;
    const weekend = hourOfWeekSlot(t) >= 120;
    const daily = 1 + 0.6 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
    const v = base * daily * (weekend ? 0.6 : 1) * (1 + 0.002 * (i / 1440)) + base * 0.1 * (rnd() - 0.5);
    out[i] = { timestampMs: t, value: i >= incidentAt && i < incidentAt + 60 ? v * 5 : v };
  }
  return out;
}

/** The naive reference: hour-of-week mean ± z·stddev with simple-statistics, not robust and not trend-aware. */
function naiveHourOfWeekProfile(points: readonly TimedValue[]): { mean: number; std: number }[] {
  const buckets: number[][] = Array.from({ length: 168 }, () => []);
  for (const p of points) buckets[hourOfWeekSlot(p.timestampMs)]?.push(p.value);
  return buckets.map((b) => (b.length > 1 ? { mean: mean(b), std: standardDeviation(b) } : { mean: NaN, std: NaN }));
}

const generateStart = process.hrtime.bigint();
const estate = Array.from({ length: SERVICES }, (_, s) => serviceSeries(s));
const generateSeconds = Number(process.hrtime.bigint() - generateStart) / 1e9;

const seconds = (f: () => void): number => {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

let bandCheck = 0;
const robustSeconds = seconds(() => {
  for (const points of estate) {
    const baseline = buildSeasonalBaseline(points);
    bandCheck += seasonalBand(baseline, START + DAYS * 86_400_000).expected;
  }
});
const naiveSeconds = seconds(() => {
  for (const points of estate) bandCheck += naiveHourOfWeekProfile(points)[0]?.mean ?? 0;
});

// Streaming scorer: a few services' full 28 days each, one detector per service, one core.
const STREAM_SERVICES = 4;
const streamed = estate.slice(0, STREAM_SERVICES);
const streamPoints = STREAM_SERVICES * POINTS;
let scoreSum = 0;
const ensembleSeconds = seconds(() => {
  for (const points of streamed) {
    const d = new RobustEnsembleDetector();
    for (const p of points) scoreSum += d.score(p.timestampMs, p.value);
  }
});
// What the signals module runs per service and metric: seasonal band (refitted hourly) + detector on the residual.
const signalSeconds = seconds(() => {
  for (const points of streamed) {
    const scorer = new SignalScorer();
    for (const p of points) scoreSum += scorer.score(p.timestampMs, p.value, { kind: 'count' }).score;
  }
});
const gaussianSeconds = seconds(() => {
  for (const points of streamed) {
    const d = new WindowedGaussianDetector();
    for (const p of points) scoreSum += d.score(p.timestampMs, p.value);
  }
});

const totalPoints = SERVICES * POINTS;
const rate = (n: number, s: number): string => Math.round(n / s).toLocaleString('en-US');
const lines = [
  `Baselines and streaming scorer, synthetic estate: ${SERVICES} services × ${DAYS} days of 1-minute points = ${totalPoints.toLocaleString('en-US')} points`,
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}  cores: ${cpus().length}  node ${process.version}  (single-threaded figures)`,
  `(series generation, not timed below: ${generateSeconds.toFixed(1)} s)`,
  '',
  `${'baseline recompute (all services)'.padEnd(60)}${'seconds'.padStart(10)}${'points/s'.padStart(16)}`,
  `${'Cairn seasonalBaseline (median/MAD hour-of-week + hour-of-day, Theil-Sen trend)'.padEnd(60).slice(0, 60)}${robustSeconds.toFixed(2).padStart(10)}${rate(totalPoints, robustSeconds).padStart(16)}`,
  `${'naive hour-of-week mean/stddev (simple-statistics)'.padEnd(60)}${naiveSeconds.toFixed(2).padStart(10)}${rate(totalPoints, naiveSeconds).padStart(16)}`,
  '',
  `${`streaming scorer (${STREAM_SERVICES} services × ${DAYS} days, one core)`.padEnd(60)}${'seconds'.padStart(10)}${'points/s'.padStart(16)}`,
  `${'Cairn RobustEnsembleDetector'.padEnd(60)}${ensembleSeconds.toFixed(2).padStart(10)}${rate(streamPoints, ensembleSeconds).padStart(16)}`,
  `${'Cairn SignalScorer (seasonal band + ensemble on residual)'.padEnd(60)}${signalSeconds.toFixed(2).padStart(10)}${rate(streamPoints, signalSeconds).padStart(16)}`,
  `${'NAB Windowed Gaussian (window 6400, step 100)'.padEnd(60)}${gaussianSeconds.toFixed(2).padStart(10)}${rate(streamPoints, gaussianSeconds).padStart(16)}`,
  '',
  `Per-minute need at 500 services × 6 metrics: ${(500 * 6) / 60} points/s; checksum ${(bandCheck + scoreSum).toFixed(0)}`,
];
const text = lines.join('\n');
console.log(text);
mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(join(repoRoot, 'bench/results/baselines.txt'), `${text}\n`);
