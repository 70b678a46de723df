import { RobustEnsembleDetector } from '../anomaly/robustEnsembleDetector.js';
import { normalQuantile, normalTwoSidedTail } from '../anomaly/robustStats.js';
import {
  buildSeasonalBaseline,
  seasonalBand,
  type SeasonalBaseline,
  type SeasonalBaselineOptions,
  type TimedValue,
} from './seasonalBaseline.js';

export interface SignalScorerOptions {
  /** History kept for the baseline; older points are dropped. */
  historyDays: number;
  /** Shortest refit interval (a refit sorts every slot: not per point); longer as history grows. */
  refitEveryMs: number;
  /** Below this many points of history the score stays 0 (the band is still a guess). */
  minHistoryPoints: number;
  /** Score assigned by the streaming detector only counts at or above this level (its alert level). */
  detectorAlertScore: number;
  baseline: Partial<SeasonalBaselineOptions>;
}

export const DEFAULT_SIGNAL_SCORER_OPTIONS: SignalScorerOptions = {
  historyDays: 14,
  refitEveryMs: 3_600_000,
  minHistoryPoints: 120,
  detectorAlertScore: 0.999,
  baseline: {},
};

export interface ScoredSignalPoint {
  timestampMs: number;
  value: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  score: number;
}

const DAY_MS = 86_400_000;

/** How a value was sampled, for the noise the band must allow for in one minute. */
export type Sampling = { kind: 'count' } | { kind: 'rate'; n: number };

/**
 * Scores one metric of one service, point by point and from the past only: the seasonal baseline gives the
 * expected value and band, the score is the two-sided normal probability of the deviation in robust sigmas
 * (0.99 = at the edge of a 99% band), raised by the streaming detector when the deseasonalized residual shows a
 * level shift or spike it is sure of. For rates, the binomial sampling noise of a low-count minute widens sigma.
 */
export class SignalScorer {
  private readonly options: SignalScorerOptions;
  private readonly history = new TimedSeries();
  private baseline: SeasonalBaseline | null = null;
  private fittedAt = Number.NEGATIVE_INFINITY;
  private readonly detector = new RobustEnsembleDetector({ seasonMs: 0 });
  private readonly z: number;

  constructor(options: Partial<SignalScorerOptions> = {}) {
    this.options = { ...DEFAULT_SIGNAL_SCORER_OPTIONS, ...options };
    this.z = normalQuantile(0.5 + (this.options.baseline.confidence ?? 0.99) / 2);
  }

  /** Points of history currently kept. */
  get historyLength(): number {
    return this.history.length;
  }

  /**
   * Scores a point, then learns it. For a rate, `sampling.n` is the number of events behind it: its binomial noise
   * is added to the band so a minute with two requests and one error is not an incident; counts get Poisson noise.
   */
  score(timestampMs: number, value: number, sampling?: Sampling): ScoredSignalPoint {
    const o = this.options;
    if (!Number.isFinite(value)) return { timestampMs, value, expected: null, lower: null, upper: null, score: 0 };
    if (this.baseline === null || timestampMs - this.fittedAt >= this.refitIntervalMs()) this.refit(timestampMs);
    let result: ScoredSignalPoint = { timestampMs, value, expected: null, lower: null, upper: null, score: 0 };
    const baseline = this.baseline;
    if (baseline !== null && this.history.length >= o.minHistoryPoints) {
      const band = seasonalBand(baseline, timestampMs);
      if (Number.isFinite(band.expected)) {
        let sigma = (band.upper - band.expected) / this.z;
        if (sampling?.kind === 'rate' && sampling.n > 0) {
          const p = Math.min(1, Math.max(0, band.expected));
          sigma = Math.sqrt(sigma * sigma + (p * (1 - p) + 1 / sampling.n) / sampling.n);
        } else if (sampling?.kind === 'count') {
          // Medians and MADs of small integers understate Poisson noise: add it, so a busy minute is no page.
          sigma = Math.sqrt(sigma * sigma + Math.max(1, band.expected));
        }
        const halfWidth = sigma * this.z;
        const residual = (value - band.expected) / Math.max(sigma, Number.EPSILON);
        const bandScore = 1 - normalTwoSidedTail(Math.abs(residual));
        const detectorScore = this.detector.score(timestampMs, residual);
        const score = detectorScore >= o.detectorAlertScore ? Math.max(bandScore, detectorScore) : bandScore;
        result = {
          timestampMs,
          value,
          expected: band.expected,
          lower: band.expected - halfWidth,
          upper: band.expected + halfWidth,
          score: Math.min(1, Math.max(0, score)),
        };
      }
    }
    this.learn(timestampMs, value);
    return result;
  }

  /** Hourly while history is short; then once new data is a fourteenth of the history (at most daily). */
  private refitIntervalMs(): number {
    const span = this.history.length > 0 ? this.fittedAt - this.history.firstTimestamp : 0;
    return Math.min(DAY_MS, Math.max(this.options.refitEveryMs, span / 14));
  }

  private learn(timestampMs: number, value: number): void {
    this.history.push(timestampMs, value);
    this.history.dropBefore(timestampMs - this.options.historyDays * DAY_MS);
  }

  private refit(timestampMs: number): void {
    const points = this.history.since(timestampMs - this.options.historyDays * DAY_MS);
    this.baseline = points.length > 0 ? buildSeasonalBaseline(points, this.options.baseline) : null;
    this.fittedAt = timestampMs;
  }
}

/** Timestamps and values in two growable typed arrays: 16 bytes a point, not an object each (weeks × services). */
class TimedSeries {
  private ts = new Float64Array(1024);
  private values = new Float64Array(1024);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  get firstTimestamp(): number {
    return this.ts[this.start] ?? Number.NaN;
  }

  push(timestampMs: number, value: number): void {
    if (this.end === this.ts.length) {
      const n = this.length;
      // Compact in place when at least half is dropped history, else grow.
      const capacity = this.start >= this.ts.length / 2 ? this.ts.length : this.ts.length * 2;
      const ts = new Float64Array(capacity);
      const values = new Float64Array(capacity);
      ts.set(this.ts.subarray(this.start, this.end));
      values.set(this.values.subarray(this.start, this.end));
      this.ts = ts;
      this.values = values;
      this.start = 0;
      this.end = n;
    }
    this.ts[this.end] = timestampMs;
    this.values[this.end] = value;
    this.end++;
  }

  dropBefore(cutoffMs: number): void {
    while (this.start < this.end && (this.ts[this.start] ?? Infinity) < cutoffMs) this.start++;
  }

  since(cutoffMs: number): TimedValue[] {
    const out: TimedValue[] = [];
    for (let i = this.start; i < this.end; i++) {
      const t = this.ts[i] ?? Number.NaN;
      if (t >= cutoffMs) out.push({ timestampMs: t, value: this.values[i] ?? Number.NaN });
    }
    return out;
  }
}
