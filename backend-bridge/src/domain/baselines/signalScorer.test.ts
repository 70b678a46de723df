import { describe, expect, it } from 'vitest';
import { SignalScorer } from './signalScorer.js';

const MONDAY = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** A daily cycle peaking at 12:00 UTC, Poisson-like noise. */
function volumeAt(t: number, rnd: () => number): number {
  const hour = (t / 3_600_000) % 24;
  const mean = 20 + 80 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI));
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * 2 * (rnd() - 0.5) * 1.7));
}

describe('SignalScorer', () => {
  it('keeps a normal daily peak below alert level and flags a jump within three minutes', () => {
    const rnd = rng(7);
    const scorer = new SignalScorer();
    const days = 3;
    for (let t = MONDAY; t < MONDAY + days * 1440 * MINUTE; t += MINUTE) scorer.score(t, volumeAt(t, rnd));
    let peakMax = 0;
    const day4 = MONDAY + days * 1440 * MINUTE;
    for (let t = day4; t < day4 + 15 * 60 * MINUTE; t += MINUTE) {
      peakMax = Math.max(peakMax, scorer.score(t, volumeAt(t, rnd)).score);
    }
    expect(peakMax).toBeLessThan(0.9999);
    const onset = day4 + 15 * 60 * MINUTE;
    const scores: number[] = [];
    for (let t = onset; t < onset + 5 * MINUTE; t += MINUTE) scores.push(scorer.score(t, volumeAt(t, rnd) * 3).score);
    expect(Math.max(...scores.slice(0, 3))).toBeGreaterThan(0.9999);
  });

  it('gives bands and scores of 0 during cold start, and ignores non-finite values', () => {
    const scorer = new SignalScorer();
    const first = scorer.score(MONDAY, 5);
    expect(first).toMatchObject({ expected: null, score: 0 });
    expect(scorer.score(MONDAY + MINUTE, Number.NaN).score).toBe(0);
  });

  it('does not flag one error among two requests on a quiet service (binomial noise)', () => {
    const rnd = rng(3);
    const scorer = new SignalScorer();
    let t = MONDAY;
    for (; t < MONDAY + 2 * 1440 * MINUTE; t += MINUTE)
      scorer.score(t, rnd() < 0.02 ? 0.1 : 0, { kind: 'rate', n: 10 });
    expect(scorer.score(t, 0.5, { kind: 'rate', n: 2 }).score).toBeLessThan(0.999);
    expect(scorer.score(t + MINUTE, 0.5, { kind: 'rate', n: 200 }).score).toBeGreaterThan(0.9999);
  });
});
