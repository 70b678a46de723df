import { normalQuantile, robustLocation } from '../anomaly/robustStats.js';

/** One observation of a metric (volume, error rate, latency percentile, template count). */
export interface TimedValue {
  timestampMs: number;
  value: number;
}

export interface SeasonalBaselineOptions {
  /** Two-sided coverage of the band, e.g. 0.99 for expected ± 2.58 robust sigmas. */
  confidence: number;
  /** Minutes to add to UTC before taking hour-of-day / day-of-week (the estate's local time). */
  utcOffsetMinutes: number;
  /** A slot with fewer points falls back to the coarser profile. */
  minPointsPerSlot: number;
  /** Days of history needed before a linear trend is estimated. */
  minTrendDays: number;
  /** Bands are never narrower than this fraction of |expected| (quantized or constant series). */
  minRelativeHalfWidth: number;
}

export const DEFAULT_SEASONAL_BASELINE_OPTIONS: SeasonalBaselineOptions = {
  confidence: 0.99,
  utcOffsetMinutes: 0,
  minPointsPerSlot: 3,
  minTrendDays: 7,
  minRelativeHalfWidth: 0.01,
};

/** Robust summary of one slot's (detrended) values. */
export interface SlotProfile {
  median: number;
  /** Robust sigma: 1.4826·MAD, or 1.2533·mean absolute deviation when most values tie. */
  scale: number;
  count: number;
}

export type BaselineSource = 'hour-of-week' | 'hour-of-day' | 'global' | 'none';

/** A fitted baseline: plain data, so it can be stored in Elasticsearch and reloaded. */
export interface SeasonalBaseline {
  options: SeasonalBaselineOptions;
  /** 168 slots, Monday 00:00 first, in the configured local time; null where there was no data. */
  hourOfWeek: (SlotProfile | null)[];
  /** 24 slots; used while history is shorter than a week or a weekly slot is thin. */
  hourOfDay: (SlotProfile | null)[];
  global: SlotProfile | null;
  /** Robust (Theil–Sen over daily medians) slope, value units per day; 0 with too little history. */
  trendPerDay: number;
  /** Time the profiles are referred to: values are detrended to this instant. */
  referenceMs: number;
  historyStartMs: number;
  historyEndMs: number;
}

export interface SeasonalBand {
  expected: number;
  lower: number;
  upper: number;
  source: BaselineSource;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Hour-of-week slot, Monday 00:00 = 0, after shifting by the UTC offset. */
export function hourOfWeekSlot(timestampMs: number, utcOffsetMinutes = 0): number {
  const local = timestampMs + utcOffsetMinutes * 60_000;
  // 1970-01-01 was a Thursday: day 0 counted from Monday is 3.
  const day = (((Math.floor(local / DAY_MS) + 3) % 7) + 7) % 7;
  const hour = ((Math.floor(local / HOUR_MS) % 24) + 24) % 24;
  return day * 24 + hour;
}

/** Fits hour-of-week and hour-of-day profiles with medians and MADs, so past incidents do not move the band much. */
export function buildSeasonalBaseline(
  points: readonly TimedValue[],
  options: Partial<SeasonalBaselineOptions> = {}
): SeasonalBaseline {
  const o = { ...DEFAULT_SEASONAL_BASELINE_OPTIONS, ...options };
  const finite = points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.timestampMs));
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const p of finite) {
    if (p.timestampMs < start) start = p.timestampMs;
    if (p.timestampMs > end) end = p.timestampMs;
  }
  const empty: SeasonalBaseline = {
    options: o,
    hourOfWeek: new Array<SlotProfile | null>(168).fill(null),
    hourOfDay: new Array<SlotProfile | null>(24).fill(null),
    global: null,
    trendPerDay: 0,
    referenceMs: 0,
    historyStartMs: Number.NaN,
    historyEndMs: Number.NaN,
  };
  if (finite.length === 0) return empty;
  const referenceMs = end;
  const trendPerDay = (end - start) / DAY_MS >= o.minTrendDays ? theilSenDailySlope(finite, o.utcOffsetMinutes) : 0;
  const weekBuckets: number[][] = Array.from({ length: 168 }, () => []);
  const all = new Float64Array(finite.length);
  finite.forEach((p, i) => {
    const detrended = p.value - (trendPerDay * (p.timestampMs - referenceMs)) / DAY_MS;
    all[i] = detrended;
    weekBuckets[hourOfWeekSlot(p.timestampMs, o.utcOffsetMinutes)]?.push(detrended);
  });
  const dayBuckets: number[][] = Array.from({ length: 24 }, (_, h) => {
    const merged: number[] = [];
    for (let d = 0; d < 7; d++) for (const v of weekBuckets[d * 24 + h] ?? []) merged.push(v);
    return merged;
  });
  const hasWeek = end - start >= 7 * DAY_MS - HOUR_MS;
  return {
    ...empty,
    hourOfWeek: hasWeek ? weekBuckets.map((b) => profile(b, o.minPointsPerSlot)) : empty.hourOfWeek,
    hourOfDay: dayBuckets.map((b) => profile(b, o.minPointsPerSlot)),
    global: profile(all, 1),
    trendPerDay,
    referenceMs,
    historyStartMs: start,
    historyEndMs: end,
  };
}

/** Expected value and band at a time: hour-of-week slot, else hour-of-day, else global; trend carried forward. */
export function seasonalBand(baseline: SeasonalBaseline, timestampMs: number): SeasonalBand {
  const o = baseline.options;
  const slot = hourOfWeekSlot(timestampMs, o.utcOffsetMinutes);
  const week = baseline.hourOfWeek[slot] ?? null;
  const day = baseline.hourOfDay[slot % 24] ?? null;
  const chosen: [SlotProfile | null, BaselineSource] = week
    ? [week, 'hour-of-week']
    : day
      ? [day, 'hour-of-day']
      : [baseline.global, 'global'];
  const [p, source] = chosen;
  if (p === null) return { expected: Number.NaN, lower: Number.NaN, upper: Number.NaN, source: 'none' };
  const expected = p.median + (baseline.trendPerDay * (timestampMs - baseline.referenceMs)) / DAY_MS;
  const z = normalQuantile(0.5 + o.confidence / 2);
  const halfWidth = Math.max(z * p.scale, o.minRelativeHalfWidth * Math.abs(expected));
  return { expected, lower: expected - halfWidth, upper: expected + halfWidth, source };
}

/** How far outside its band a value is, in band half-widths (0 inside the band). */
export function bandExcess(band: SeasonalBand, value: number): number {
  if (!Number.isFinite(band.expected)) return 0;
  if (value > band.upper) return (value - band.upper) / Math.max(band.upper - band.expected, Number.EPSILON);
  if (value < band.lower) return (band.lower - value) / Math.max(band.expected - band.lower, Number.EPSILON);
  return 0;
}

function profile(values: ArrayLike<number>, minPoints: number): SlotProfile | null {
  if (values.length < minPoints) return null;
  const { median, scale } = robustLocation(Float64Array.from(values));
  return { median, scale, count: values.length };
}

/** Median of pairwise slopes between daily medians: an incident day or a weekly dip cannot tilt it much. */
function theilSenDailySlope(points: readonly TimedValue[], utcOffsetMinutes: number): number {
  const byDay = new Map<number, number[]>();
  for (const p of points) {
    const day = Math.floor((p.timestampMs + utcOffsetMinutes * 60_000) / DAY_MS);
    let bucket = byDay.get(day);
    if (!bucket) byDay.set(day, (bucket = []));
    bucket.push(p.value);
  }
  const days = [...byDay.entries()].map(([day, vs]) => [day, robustLocation(Float64Array.from(vs)).median] as const);
  const slopes: number[] = [];
  for (let i = 0; i < days.length; i++) {
    for (let j = i + 1; j < days.length; j++) {
      const a = days[i];
      const b = days[j];
      if (a && b && b[0] !== a[0]) slopes.push((b[1] - a[1]) / (b[0] - a[0]));
    }
  }
  if (slopes.length === 0) return 0;
  return robustLocation(Float64Array.from(slopes)).median;
}
