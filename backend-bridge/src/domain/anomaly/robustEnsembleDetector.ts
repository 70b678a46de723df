import { RingBuffer, robustLocation, type RobustLocation } from './robustStats.js';
import type { StreamingAnomalyDetector } from './types.js';

/** Knobs of the ensemble; defaults are generic (not fitted to any benchmark). */
export interface RobustEnsembleOptions {
  /** Points of history for the long robust baseline and for calibrating each component's surprise. */
  historyPoints: number;
  /** Points in the short robust baseline (spikes against the recent level). */
  shortPoints: number;
  /** Points whose median is compared with the long baseline (level shifts). */
  levelPoints: number;
  /** Recompute long-window statistics every this many points (they move slowly). */
  refreshEvery: number;
  /** Scores stay 0 until this many points have been seen. */
  warmupPoints: number;
  /** Season length in milliseconds to test for (default one day); 0 disables the seasonal component. */
  seasonMs: number;
  /** Tail quantile above which a component's surprise is modelled as exponential (peaks over threshold). */
  tailQuantile: number;
  /** A score at or above this level is an alert; further alerts are muted for suppressionPoints points. */
  alertScore: number;
  suppressionPoints: number;
  /** A component's surprise needs this many past values before it can raise the score (its tail is unknown before). */
  calibrationMinPoints: number;
  /** Rows of phase jitter tolerated when comparing with the same time in earlier seasons. */
  seasonJitterPoints: number;
  /** Components taking part: [long spike, short spike, level shift, seasonal residual, k-NN shape]. */
  components: [boolean, boolean, boolean, boolean, boolean];
  /** k-NN shape component (KNN-CAD style): points per embedded window, neighbours, past windows searched. */
  knnWindow: number;
  knnNeighbours: number;
  knnHistory: number;
  /** Points kept for the seasonal lookback (three seasons of 1-minute points fit). */
  seasonBufferPoints: number;
}

export const DEFAULT_ENSEMBLE_OPTIONS: RobustEnsembleOptions = {
  historyPoints: 1000,
  shortPoints: 50,
  levelPoints: 12,
  refreshEvery: 10,
  warmupPoints: 60,
  seasonMs: 24 * 3600 * 1000,
  // SPOT (Siffer et al., KDD 2017) starts its peaks-over-threshold fit at the 98% quantile.
  tailQuantile: 0.98,
  alertScore: 0.999,
  suppressionPoints: 100,
  seasonBufferPoints: 3 * 1440 + 16,
  calibrationMinPoints: 100,
  components: [true, true, true, true, true],
  knnWindow: 10,
  knnNeighbours: 5,
  knnHistory: 600,
  seasonJitterPoints: 2,
};

/** Turns a stream of raw surprises into tail probabilities calibrated on that stream's own past (POT/SPOT-style). */
class SurpriseCalibrator {
  private readonly history: RingBuffer;
  private sinceRefresh = Number.POSITIVE_INFINITY;
  private threshold = Number.POSITIVE_INFINITY;
  private meanExcess = 1;
  private sorted: Float64Array = new Float64Array(0);

  constructor(
    capacity: number,
    private readonly tailQuantile: number,
    private readonly refreshEvery: number,
    private readonly minHistory: number
  ) {
    this.history = new RingBuffer(capacity);
  }

  /** P(surprise ≥ s) under the past: empirical below the tail quantile, exponential tail above it. */
  tailProbability(s: number): number {
    if (this.history.length < this.minHistory) return 1;
    if (this.sinceRefresh >= this.refreshEvery) this.refresh();
    const tail = 1 - this.tailQuantile;
    if (s <= this.threshold) {
      const n = this.sorted.length;
      return Math.max(tail, 1 - lowerBound(this.sorted, s) / n);
    }
    // Never rarer than the past says: surprises this large that already happened n times are not news (conformal).
    const seen = this.sorted.length - lowerBound(this.sorted, s);
    return Math.max(tail * Math.exp(-(s - this.threshold) / this.meanExcess), seen / (this.sorted.length + 1));
  }

  /** True once enough surprises are in to say what is rare. */
  get ready(): boolean {
    return this.history.length >= this.minHistory;
  }

  add(s: number): void {
    this.history.push(s);
    this.sinceRefresh++;
  }

  private refresh(): void {
    this.sinceRefresh = 0;
    this.sorted = this.history.newest(this.history.length).sort();
    const n = this.sorted.length;
    const k = Math.min(n - 1, Math.floor(this.tailQuantile * n));
    this.threshold = this.sorted[k] ?? 0;
    const excesses: number[] = [];
    for (let i = k + 1; i < n; i++) excesses.push((this.sorted[i] ?? 0) - this.threshold);
    excesses.sort((a, b) => a - b);
    // Exponential scale from the median excess (median = β·ln 2): one huge past excess cannot flatten the tail.
    const medianExcess = excesses.length > 0 ? (excesses[excesses.length >> 1] ?? 0) / Math.LN2 : 0;
    // Without excesses (a flat past), any rise is news: a small mean excess makes it unlikely.
    this.meanExcess = Math.max(medianExcess, 1e-3 * Math.max(1, this.threshold), 1e-6);
  }
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function robustZ(x: number, loc: RobustLocation): number {
  if (!Number.isFinite(loc.median)) return 0;
  const d = Math.abs(x - loc.median);
  if (d === 0) return 0;
  // A constant past has scale 0: measure moves relative to the level so a flatline's first change stands out.
  const scale = loc.scale > 0 ? loc.scale : 1e-6 * Math.max(1, Math.abs(loc.median));
  return d / scale;
}

/**
 * Streaming anomaly score in [0,1] from past data only: robust z-scores for spikes against a short and a long
 * median/MAD baseline, a level-shift test on the median of the newest points, and a seasonal residual against the
 * same phase in previous seasons. Each component's surprise is calibrated into a tail probability on its own
 * history (peaks over threshold), the smallest is Bonferroni-corrected, and repeated alerts right after an alert
 * are muted.
 */
export class RobustEnsembleDetector implements StreamingAnomalyDetector {
  private readonly options: RobustEnsembleOptions;
  private readonly values: RingBuffer;
  private residuals: RingBuffer;
  /** Earlier seasons the residual is taken against; when it grows the residual changes meaning. */
  private seasonsUsed = 0;
  private readonly calibrators: SurpriseCalibrator[];
  private longLocation: RobustLocation = { median: Number.NaN, scale: Number.NaN };
  private residualLocation: RobustLocation = { median: Number.NaN, scale: Number.NaN };
  /** Tail probability of each component at the last point: [long spike, short spike, level shift, seasonal]. */
  readonly lastTailProbabilities: number[] = [1, 1, 1, 1, 1];
  private seen = 0;
  private sinceRefresh = Number.POSITIVE_INFINITY;
  private sinceAlert = Number.POSITIVE_INFINITY;
  private stepMs = 0;
  private lastTimestamp = Number.NaN;

  constructor(options: Partial<RobustEnsembleOptions> = {}) {
    this.options = { ...DEFAULT_ENSEMBLE_OPTIONS, ...options };
    const o = this.options;
    this.values = new RingBuffer(Math.max(o.historyPoints, o.seasonBufferPoints, 1));
    this.residuals = new RingBuffer(Math.max(o.historyPoints, 1));
    this.calibrators = Array.from(
      { length: 5 },
      () => new SurpriseCalibrator(o.historyPoints, o.tailQuantile, o.refreshEvery, o.calibrationMinPoints)
    );
  }

  score(timestampMs: number, value: number): number {
    const o = this.options;
    if (!Number.isFinite(value)) return 0;
    this.trackStep(timestampMs);
    if (this.sinceRefresh >= o.refreshEvery && this.values.length > 0) {
      this.longLocation = robustLocation(this.values.newest(o.historyPoints));
      this.residualLocation = robustLocation(this.residuals.newest(o.historyPoints));
      this.sinceRefresh = 0;
    }
    const surprises = this.surprises(value);
    const p = [1, 1, 1, 1, 1];
    let active = 0;
    for (let i = 0; i < surprises.length; i++) {
      const s = surprises[i];
      const calibrator = this.calibrators[i];
      if (s === undefined || calibrator === undefined || Number.isNaN(s) || this.options.components[i] === false)
        continue;
      active++;
      p[i] = calibrator.tailProbability(s);
      calibrator.add(s);
    }
    const [pLong = 1, pShort = 1, pLevel = 1, pSeason = 1, pShape = 1] = p;
    const seasonActive = !Number.isNaN(surprises[3] ?? Number.NaN) && this.calibrators[3]?.ready === true;
    // A value the same phase of earlier seasons explains is no spike, however far it is from the recent level.
    const minP = seasonActive
      ? Math.min(Math.max(pLong, pSeason), Math.max(pShort, pSeason), pLevel, pSeason, pShape)
      : Math.min(pLong, pShort, pLevel, pShape);
    p.forEach((v, i) => (this.lastTailProbabilities[i] = v));
    this.values.push(value);
    this.seen++;
    this.sinceRefresh++;
    this.sinceAlert++;
    if (this.seen <= o.warmupPoints || active === 0) return 0;
    let score = Math.min(1, Math.max(0, 1 - minP * active));
    if (score >= o.alertScore) {
      if (this.sinceAlert <= o.suppressionPoints) score = 0;
      else this.sinceAlert = 0;
    }
    return score;
  }

  /** Raw surprises: [long spike, short spike, level shift, seasonal residual]; NaN where not yet computable. */
  private surprises(value: number): number[] {
    const o = this.options;
    const n = this.values.length;
    // Robust statistics over a handful of points give wild z-scores that would poison the calibrators' tails.
    if (n < o.warmupPoints) return [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN];
    const longZ = robustZ(value, this.longLocation);
    const shortLocation = robustLocation(this.values.newest(o.shortPoints));
    const shortZ = robustZ(value, shortLocation);
    const recent = this.values.newest(o.levelPoints - 1);
    const level = new Float64Array(recent.length + 1);
    level.set(recent);
    level[recent.length] = value;
    const levelMedian = robustLocation(level).median;
    const levelZ = robustZ(levelMedian, this.longLocation);
    return [longZ, shortZ, levelZ, this.seasonalSurprise(value), this.shapeSurprise(value)];
  }

  /**
   * Distance of the newest window (robustly standardized) to its k nearest earlier windows, as in KNN-CAD
   * (Burnaev & Ishimtsev 2016): a shape never seen before is far from every past window, even at a normal level.
   */
  private shapeSurprise(value: number): number {
    const o = this.options;
    const L = o.knnWindow;
    if (o.components[4] === false || L < 2 || this.values.length < 2 * L + o.knnNeighbours) return Number.NaN;
    const loc = this.longLocation;
    if (!Number.isFinite(loc.median)) return Number.NaN;
    const scale = loc.scale > 0 ? loc.scale : 1e-6 * Math.max(1, Math.abs(loc.median));
    const current = new Float64Array(L);
    current[L - 1] = (value - loc.median) / scale;
    for (let j = 1; j < L; j++) current[L - 1 - j] = (this.values.back(j - 1) - loc.median) / scale;
    const k = o.knnNeighbours;
    const best = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
    const newestEnd = Math.min(this.values.length - L, o.knnHistory);
    // Candidate windows end `end` points before the newest stored value and do not overlap the current one.
    for (let end = L - 1; end <= newestEnd; end++) {
      let d = 0;
      for (let j = 0; j < L && d < (best[k - 1] ?? Infinity); j++) {
        const x = (this.values.back(end + j) - loc.median) / scale - (current[L - 1 - j] ?? 0);
        d += x * x;
      }
      if (d < (best[k - 1] ?? Infinity)) {
        let i = k - 1;
        while (i > 0 && (best[i - 1] ?? Infinity) > d) {
          best[i] = best[i - 1] ?? Infinity;
          i--;
        }
        best[i] = d;
      }
    }
    let sum = 0;
    for (const d of best) sum += Math.sqrt(d);
    return sum / k;
  }

  private seasonalSurprise(value: number): number {
    const o = this.options;
    if (o.seasonMs <= 0 || this.stepMs <= 0) return Number.NaN;
    const lag = Math.round(o.seasonMs / this.stepMs);
    const jitter = o.seasonJitterPoints;
    // Up to three earlier seasons; one is enough to start (a daily pattern is known after its first day).
    const available = Math.floor((this.values.length - jitter) / Math.max(1, lag));
    // One season, then the median of three (an odd count: a median with no averaging); never two.
    const seasons = available >= 3 ? 3 : Math.min(1, available);
    if (lag < 4 || seasons < 1) return Number.NaN;
    if (seasons !== this.seasonsUsed) {
      // A median of more seasons is a different residual: its past would make the switch itself look anomalous.
      this.seasonsUsed = seasons;
      this.residuals = new RingBuffer(Math.max(o.historyPoints, 1));
      this.residualLocation = { median: Number.NaN, scale: Number.NaN };
      this.calibrators[3] = new SurpriseCalibrator(
        o.historyPoints,
        o.tailQuantile,
        o.refreshEvery,
        o.calibrationMinPoints
      );
    }
    // For each earlier season, the closest value within the jitter band: repeated patterns drift by a row or two.
    const same: number[] = [];
    for (let k = 1; k <= seasons; k++) {
      let closest = Number.NaN;
      for (let j = -jitter; j <= jitter; j++) {
        const v = this.values.back(k * lag - 1 + j);
        if (Number.isNaN(closest) || Math.abs(v - value) < Math.abs(closest - value)) closest = v;
      }
      same.push(closest);
    }
    same.sort((a, b) => a - b);
    const middle =
      same.length % 2 === 1 ? (same[same.length >> 1] ?? value) : ((same[0] ?? value) + (same[1] ?? value)) / 2;
    const residual = value - middle;
    this.residuals.push(residual);
    if (this.residuals.length < o.calibrationMinPoints) return Number.NaN;
    return robustZ(residual, this.residualLocation);
  }

  private trackStep(timestampMs: number): void {
    if (Number.isFinite(this.lastTimestamp)) {
      const step = timestampMs - this.lastTimestamp;
      // Typical sampling step: an exponentially weighted estimate that ignores gaps and bursts after warm-up.
      if (step > 0)
        this.stepMs = this.stepMs === 0 ? step : this.stepMs * 0.99 + Math.min(step, this.stepMs * 2) * 0.01;
    }
    this.lastTimestamp = timestampMs;
  }
}
