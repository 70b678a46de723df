import { describe, expect, it } from 'vitest';
import {
  bandExcess,
  buildSeasonalBaseline,
  hourOfWeekSlot,
  seasonalBand,
  type TimedValue,
} from './seasonalBaseline.js';

const MONDAY = Date.UTC(2024, 0, 1); // 2024-01-01 was a Monday
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
}

/** Points every 10 minutes from start for the given days; value from the supplied shape plus ±5 noise. */
function series(days: number, shape: (t: number) => number, start = MONDAY): TimedValue[] {
  const rnd = noise(42);
  const out: TimedValue[] = [];
  for (let t = start; t < start + days * DAY; t += 10 * 60_000)
    out.push({ timestampMs: t, value: shape(t) + 10 * rnd() });
  return out;
}

const mondayNinePeak = (t: number): number => (hourOfWeekSlot(t) === 9 ? 300 : 100);

describe('hourOfWeekSlot', () => {
  it('counts from Monday 00:00 and honours the UTC offset', () => {
    expect(hourOfWeekSlot(MONDAY + 30 * 60_000)).toBe(0);
    expect(hourOfWeekSlot(MONDAY + 9 * HOUR)).toBe(9);
    expect(hourOfWeekSlot(MONDAY + 6 * DAY + 23 * HOUR)).toBe(167);
    expect(hourOfWeekSlot(MONDAY, 9 * 60)).toBe(9);
    expect(hourOfWeekSlot(MONDAY, -60)).toBe(167);
  });
});

describe('buildSeasonalBaseline', () => {
  it('does not flag a Monday 09:00 peak when history has Monday peaks, but would flag it on a Tuesday', () => {
    const baseline = buildSeasonalBaseline(series(28, mondayNinePeak));
    const monday = seasonalBand(baseline, MONDAY + 28 * DAY + 9.5 * HOUR);
    expect(monday.source).toBe('hour-of-week');
    expect(monday.lower).toBeLessThan(300);
    expect(monday.upper).toBeGreaterThan(300);
    expect(bandExcess(monday, 300)).toBe(0);
    const tuesday = seasonalBand(baseline, MONDAY + 29 * DAY + 9.5 * HOUR);
    expect(tuesday.upper).toBeLessThan(200);
    expect(bandExcess(tuesday, 300)).toBeGreaterThan(1);
  });

  it('keeps a past incident from poisoning the band', () => {
    const incidentStart = MONDAY + 7 * DAY + 2 * DAY + 14 * HOUR; // second Wednesday 14:00
    const history = series(28, (t) => (t >= incidentStart && t < incidentStart + HOUR ? 5000 : 100));
    const baseline = buildSeasonalBaseline(history);
    const band = seasonalBand(baseline, MONDAY + 28 * DAY + 2 * DAY + 14.5 * HOUR);
    expect(band.expected).toBeGreaterThan(95);
    expect(band.expected).toBeLessThan(105);
    expect(band.upper).toBeLessThan(130);
    expect(bandExcess(band, 5000)).toBeGreaterThan(10);
  });

  it('follows a trend instead of lagging behind it', () => {
    const baseline = buildSeasonalBaseline(series(28, (t) => 100 + (2 * (t - MONDAY)) / DAY));
    expect(baseline.trendPerDay).toBeCloseTo(2, 1);
    const band = seasonalBand(baseline, MONDAY + 30 * DAY + 12 * HOUR);
    expect(band.expected).toBeCloseTo(161, -0.5);
    expect(bandExcess(band, 161)).toBe(0);
  });

  it('falls back to hour-of-day with less than a week of history', () => {
    const baseline = buildSeasonalBaseline(
      series(3, (t) => ((t % DAY) / HOUR >= 9 && (t % DAY) / HOUR < 10 ? 300 : 100))
    );
    expect(baseline.hourOfWeek.every((s) => s === null)).toBe(true);
    const band = seasonalBand(baseline, MONDAY + 5 * DAY + 9.5 * HOUR);
    expect(band.source).toBe('hour-of-day');
    expect(bandExcess(band, 300)).toBe(0);
    expect(bandExcess(seasonalBand(baseline, MONDAY + 5 * DAY + 11 * HOUR), 300)).toBeGreaterThan(1);
  });

  it('falls back to the global profile for hours never seen, and to none without data', () => {
    const baseline = buildSeasonalBaseline(series(2 / 24, () => 50));
    const band = seasonalBand(baseline, MONDAY + 15 * HOUR);
    expect(band.source).toBe('global');
    expect(band.expected).toBeCloseTo(50, -1);
    expect(seasonalBand(buildSeasonalBaseline([]), MONDAY).source).toBe('none');
  });

  it('widens the band with the confidence', () => {
    const history = series(14, () => 100);
    const narrow = seasonalBand(buildSeasonalBaseline(history, { confidence: 0.8 }), MONDAY + 14 * DAY);
    const wide = seasonalBand(buildSeasonalBaseline(history, { confidence: 0.999 }), MONDAY + 14 * DAY);
    expect(wide.upper - wide.lower).toBeGreaterThan(1.5 * (narrow.upper - narrow.lower));
  });
});
