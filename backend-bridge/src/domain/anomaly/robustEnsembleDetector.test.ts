import { describe, expect, it } from 'vitest';
import { RobustEnsembleDetector } from './robustEnsembleDetector.js';
import { SilentDetector, WindowedGaussianDetector, gaussianTailProbability } from './windowedGaussian.js';

const STEP = 300_000;
const START = Date.UTC(2024, 0, 1);

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Roughly normal noise (sum of uniforms) around a level. */
function noisy(n: number, level: (i: number) => number, seed = 7): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => level(i) + (r() + r() + r() + r() - 2) * 2);
}

function scoreAll(values: number[]): number[] {
  const d = new RobustEnsembleDetector();
  return values.map((v, i) => d.score(START + i * STEP, v));
}

describe('RobustEnsembleDetector', () => {
  it('keeps scores in [0,1] and stays quiet on stationary noise relative to a spike', () => {
    const values = noisy(1500, () => 100);
    values[1200] = 160;
    const scores = scoreAll(values);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores[1200]).toBeGreaterThan(0.999);
    expect(Math.max(...scores.slice(300, 1200))).toBeLessThan(scores[1200] ?? 0);
  });

  it('detects a level shift within a few points of onset', () => {
    const values = noisy(1500, (i) => (i < 1000 ? 100 : 115));
    const scores = scoreAll(values);
    const first = scores.findIndex((s, i) => i >= 1000 && s > 0.999);
    expect(first).toBeGreaterThanOrEqual(1000);
    expect(first).toBeLessThan(1012);
  });

  it('accepts a repeating daily peak but flags a break in the daily pattern', () => {
    // 5-minute points, 288 a day; a 1-hour peak every day at the same time, missing on day 5
    const peak = (i: number): boolean => i % 288 >= 100 && i % 288 < 112;
    const values = noisy(288 * 6, (i) => (peak(i) && Math.floor(i / 288) !== 5 ? 200 : 100));
    const scores = scoreAll(values);
    const day4Peak = Math.max(...scores.slice(288 * 4 + 100, 288 * 4 + 112));
    const day5Gap = Math.max(...scores.slice(288 * 5 + 100, 288 * 5 + 112));
    expect(day5Gap).toBeGreaterThan(0.999);
    expect(day4Peak).toBeLessThan(day5Gap);
  });

  it('keeps a repeat right after an alert below the alert level', () => {
    const values = noisy(1500, () => 100);
    values[1200] = 200;
    values[1210] = 200;
    const scores = scoreAll(values);
    expect(scores[1200]).toBeGreaterThan(0.999);
    expect(scores[1210]).toBeLessThan(0.999);
  });

  it('scores a point from the past only: appending later points never changes it', () => {
    const values = noisy(900, (i) => (i < 700 ? 50 : 70));
    const all = scoreAll(values);
    const prefix = scoreAll(values.slice(0, 750));
    expect(all.slice(0, 750)).toEqual(prefix);
  });
});

describe('reference detectors', () => {
  it('Windowed Gaussian scores 1 minus the folded Gaussian tail of the window so far', () => {
    const d = new WindowedGaussianDetector();
    expect(d.score(0, 1)).toBe(0);
    d.score(1, 3);
    // window [1, 3]: mean 2, population std 1; value 4 is z = 2 → 1 - Q(2)
    expect(d.score(2, 4)).toBeCloseTo(1 - 0.0227501, 6);
    expect(gaussianTailProbability(0, 2, 1)).toBeCloseTo(0.0227501, 6);
  });

  it('the silent detector never fires', () => {
    expect(new SilentDetector().score()).toBe(0);
  });
});
