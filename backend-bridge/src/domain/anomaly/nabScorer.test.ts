import { describe, expect, it } from 'vitest';
import {
  nabProbationLength,
  nabScaledSigmoid,
  nabScoresByThreshold,
  nabSweepPoints,
  parseNabTimestamp,
  scoreNabCorpus,
  scoreNabPointsAtThreshold,
  type NabFile,
} from './nabScorer.js';

// 100 rows at t = 0..99, probation = floor(0.15·100) = 15 rows, one window over rows 40..49 (width 10).
function file(detectAt: number[], windows: [number, number][] = [[40, 49]], rows = 100): NabFile {
  const timestamps = Array.from({ length: rows }, (_, i) => i);
  const scores = timestamps.map((i) => (detectAt.includes(i) ? 1 : 0));
  return { name: 'f', timestamps, scores, windows };
}

function scoreAtOne(f: NabFile): number {
  return scoreNabPointsAtThreshold(nabSweepPoints(f), 1).score;
}

describe('nabScaledSigmoid', () => {
  it('matches hand-computed values', () => {
    expect(nabScaledSigmoid(-1)).toBeCloseTo(0.98661429, 7);
    expect(nabScaledSigmoid(0)).toBe(0);
    expect(nabScaledSigmoid(-0.5)).toBeCloseTo(0.84828364, 7);
    expect(nabScaledSigmoid(3.5)).toBe(-1);
  });
});

describe('nabProbationLength', () => {
  it('is 15% of rows, capped at 750', () => {
    expect(nabProbationLength(100)).toBe(15);
    expect(nabProbationLength(4032)).toBe(604);
    expect(nabProbationLength(20000)).toBe(750);
  });
});

describe('NAB file scoring (standard profile)', () => {
  it('rewards a detection at the window start with exactly A_TP', () => {
    expect(scoreAtOne(file([40]))).toBeCloseTo(1, 10);
  });

  it('rewards a late detection less: last row of a 10-row window, p = -0.1', () => {
    // σ(-0.1) = 2/(1+e^-0.5) - 1 = 0.24491866; scaled by 1/σ(-1) = 1/0.98661429 → 0.24824152
    expect(scoreAtOne(file([49]))).toBeCloseTo(0.24824152, 6);
  });

  it('counts only the first detection inside a window', () => {
    expect(scoreAtOne(file([45, 40, 49]))).toBeCloseTo(1, 10);
    expect(scoreAtOne(file([45, 49]))).toBeCloseTo(scoreAtOne(file([45])), 10);
  });

  it('charges a missed window -A_FN', () => {
    expect(scoreAtOne(file([]))).toBe(-1);
  });

  it('charges a false positive after a window relative to that window length', () => {
    // row 59: p = |49-59|/(10-1) = 1.1111; σ = 2/(1+e^5.5556) - 1 = -0.992298; × 0.11 = -0.109153; plus the missed window
    expect(scoreAtOne(file([59]))).toBeCloseTo(-1 - 0.109153, 5);
    // row 50 right after the window: p = 1/9; σ = -0.270838; × 0.11 = -0.029792 (cheaper than a far one)
    expect(scoreAtOne(file([50]))).toBeCloseTo(-1 - 0.029792, 5);
  });

  it('charges a false positive before any window -A_FP', () => {
    expect(scoreAtOne(file([20, 40]))).toBeCloseTo(1 - 0.11, 10);
  });

  it('ignores detections in the probationary period', () => {
    expect(scoreAtOne(file([3, 14]))).toBe(-1);
    expect(scoreAtOne(file([15]))).toBeCloseTo(-1 - 0.11, 10);
    // a window inside probation is not scorable at all
    const r = scoreNabPointsAtThreshold(nabSweepPoints(file([], [[5, 10]])), 1);
    expect(r.windows).toBe(0);
    expect(r.score).toBe(0);
  });

  it('treats a row as a detection when its score reaches the threshold', () => {
    const f = { ...file([]), scores: Array.from({ length: 100 }, (_, i) => (i === 40 ? 0.7 : i === 20 ? 0.5 : 0)) };
    const sweep = nabScoresByThreshold(nabSweepPoints(f));
    expect(sweep.map((r) => r.threshold)).toEqual([1.1, 0.7, 0.5, 0]);
    expect(sweep[1]?.score).toBeCloseTo(1, 10);
    expect(sweep[2]?.score).toBeCloseTo(0.89, 10);
  });
});

describe('scoreNabCorpus', () => {
  it('chooses one shared threshold maximising the total and normalizes null=0, perfect=100', () => {
    // file a: window caught at start with score 0.9; FP at 0.8. file b: window caught late (row 49) at 0.6.
    const a = {
      ...file([]),
      name: 'a',
      scores: Array.from({ length: 100 }, (_, i) => (i === 40 ? 0.9 : i === 60 ? 0.8 : 0)),
    };
    const b = { ...file([]), name: 'b', scores: Array.from({ length: 100 }, (_, i) => (i === 49 ? 0.6 : 0)) };
    const result = scoreNabCorpus([a, b]);
    // thresholds: 0.9 → 1 - 1 = 0; 0.8 → 1 - 0.1xx - 1 < 0; 0.6 → 1 - fp(row 60) + 0.2482 > 0
    const fp60 = 0.11 * nabScaledSigmoid(11 / 9);
    expect(result.threshold).toBe(0.6);
    expect(result.rawScore).toBeCloseTo(1 + fp60 + 0.24824152, 6);
    expect(result.nullScore).toBe(-2);
    expect(result.perfectScore).toBe(2);
    expect(result.normalizedScore).toBeCloseTo((100 * (result.rawScore + 2)) / 4, 8);
    expect(result.files.map((f) => f.falsePositives)).toEqual([1, 0]);
  });

  it('scores the always-silent detector 0', () => {
    expect(
      scoreNabCorpus([
        file([]),
        file(
          [],
          [
            [30, 35],
            [70, 80],
          ]
        ),
      ]).normalizedScore
    ).toBe(0);
  });

  it('scores the perfect detector 100', () => {
    expect(
      scoreNabCorpus([
        file([40]),
        file(
          [30, 70],
          [
            [30, 35],
            [70, 80],
          ]
        ),
      ]).normalizedScore
    ).toBeCloseTo(100, 8);
  });
});

describe('parseNabTimestamp', () => {
  it('reads NAB label and data timestamps as UTC', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15));
  });
});
