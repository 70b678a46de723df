import type { CorrelatedSignal, SignalMetric } from '@cairn/contract';

/** One minute of a scored signal, as read back from `cairn-signals`. */
export interface ScoredMinute {
  timeMs: number;
  value: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  score: number;
}

export interface SignalSeries {
  service: string;
  metric: SignalMetric;
  points: readonly ScoredMinute[];
}

export interface CorrelationQuery {
  service: string;
  /** Target metric; default the target service's metric with the highest score in [at - window, at]. */
  metric?: SignalMetric;
  atMs: number;
  windowMinutes: number;
  /** A signal "moved" in a minute whose score is at least this. */
  minScore: number;
  limit: number;
}

export interface CorrelationResult {
  metric: SignalMetric | null;
  onsetMs: number;
  related: CorrelatedSignal[];
}

const MINUTE_MS = 60_000;

/** Deviation from the band in band half-widths (0 on the expected value); 0 while there is no band. */
export function standardizedDeviation(p: ScoredMinute): number {
  if (p.expected === null || p.upper === null || p.lower === null) return 0;
  const half = p.value >= p.expected ? p.upper - p.expected : p.expected - p.lower;
  return half > 0 ? (p.value - p.expected) / half : 0;
}

/** Pearson correlation; 0 when either side is constant or there are fewer than three pairs. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 3) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Standardized deviations on a minute grid [fromMs, toMs), 0 where a minute is missing. */
function grid(points: readonly ScoredMinute[], fromMs: number, toMs: number): number[] {
  const out = new Array<number>(Math.max(0, Math.round((toMs - fromMs) / MINUTE_MS))).fill(0);
  for (const p of points) {
    const i = Math.round((p.timeMs - fromMs) / MINUTE_MS);
    if (i >= 0 && i < out.length) out[i] = standardizedDeviation(p);
  }
  return out;
}

/** Best |Pearson r| of b shifted by -maxLag..maxLag minutes against a; positive lag = b leads. */
function bestLaggedCorrelation(a: number[], b: number[], maxLag: number): { r: number; lag: number } {
  let best = { r: 0, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < a.length; i++) {
      const j = i - lag;
      if (j < 0 || j >= b.length) continue;
      x.push(a[i] ?? 0);
      y.push(b[j] ?? 0);
    }
    const r = pearson(x, y);
    if (Math.abs(r) > Math.abs(best.r) + 1e-12) best = { r, lag };
  }
  return best;
}

function firstAtOrAbove(
  points: readonly ScoredMinute[],
  fromMs: number,
  toMs: number,
  minScore: number
): ScoredMinute | undefined {
  return points.find((p) => p.timeMs >= fromMs && p.timeMs <= toMs && p.score >= minScore);
}

/**
 * R1: for an anomalous minute of one service, ranks other services' signals that moved (score ≥ minScore) in the
 * preceding window [onset − W, onset) or the same window [onset, onset + W], with lead/lag in minutes relative to
 * the target's onset. Strength = peak score × closeness in time × (½ + ½·|lagged correlation of deviations|).
 */
export function correlateSignals(series: readonly SignalSeries[], q: CorrelationQuery): CorrelationResult {
  const w = q.windowMinutes * MINUTE_MS;
  const own = series.filter((s) => s.service === q.service);
  let target = q.metric ? own.find((s) => s.metric === q.metric) : undefined;
  if (!target && !q.metric) {
    let best = -1;
    for (const s of own) {
      for (const p of s.points)
        if (p.timeMs >= q.atMs - w && p.timeMs <= q.atMs && p.score > best) {
          best = p.score;
          target = s;
        }
    }
  }
  let onsetMs = q.atMs;
  if (target) {
    // Walk back from `at` while the target stays anomalous: the run's first minute is the onset.
    const byTime = new Map(target.points.map((p) => [p.timeMs, p]));
    let t = Math.floor(q.atMs / MINUTE_MS) * MINUTE_MS;
    if ((byTime.get(t)?.score ?? 0) < q.minScore) {
      const first = firstAtOrAbove(target.points, q.atMs - w, q.atMs, q.minScore);
      if (first) t = first.timeMs;
    }
    while ((byTime.get(t - MINUTE_MS)?.score ?? 0) >= q.minScore && t - MINUTE_MS >= q.atMs - 4 * w) t -= MINUTE_MS;
    if ((byTime.get(t)?.score ?? 0) >= q.minScore) onsetMs = t;
  }
  const fromMs = onsetMs - w;
  const toMs = onsetMs + w + MINUTE_MS;
  const targetGrid = target ? grid(target.points, fromMs, toMs) : [];
  const related: CorrelatedSignal[] = [];
  for (const s of series) {
    if (s.service === q.service) continue;
    const first = firstAtOrAbove(s.points, fromMs, onsetMs + w, q.minScore);
    if (!first) continue;
    let peak = first;
    for (const p of s.points) if (p.timeMs >= fromMs && p.timeMs <= onsetMs + w && p.score > peak.score) peak = p;
    const leadMinutes = Math.round((onsetMs - first.timeMs) / MINUTE_MS);
    const { r } = target
      ? bestLaggedCorrelation(targetGrid, grid(s.points, fromMs, toMs), Math.min(5, q.windowMinutes))
      : { r: 0 };
    const closeness = 1 - Math.abs(leadMinutes) / (q.windowMinutes + 1);
    related.push({
      service: s.service,
      metric: s.metric,
      strength: peak.score * closeness * (0.5 + 0.5 * Math.abs(r)),
      peakScore: peak.score,
      peakTime: peak.timeMs,
      leadMinutes,
      correlation: r,
      window: first.timeMs < onsetMs ? 'preceding' : 'same',
    });
  }
  related.sort((a, b) => b.strength - a.strength || b.leadMinutes - a.leadMinutes);
  return { metric: target?.metric ?? null, onsetMs, related: related.slice(0, q.limit) };
}
