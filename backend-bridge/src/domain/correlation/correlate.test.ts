import { describe, expect, it } from 'vitest';
import { correlateSignals, pearson, type ScoredMinute, type SignalSeries } from './correlate.js';

const T0 = Date.UTC(2024, 0, 1, 12);
const M = 60_000;

function series(
  service: string,
  metric: SignalSeries['metric'],
  anomalousFrom: number | null,
  minutes = 40
): SignalSeries {
  const points: ScoredMinute[] = [];
  for (let i = 0; i < minutes; i++) {
    const hot = anomalousFrom !== null && i >= anomalousFrom && i < anomalousFrom + 8;
    const value = hot ? 50 + i : 10 + (i % 3);
    points.push({ timeMs: T0 + i * M, value, expected: 10, lower: 5, upper: 15, score: hot ? 0.9999 : 0.3 });
  }
  return { service, metric, points };
}

describe('correlateSignals', () => {
  it('ranks services that moved with or before the target, with lead/lag, and ignores quiet ones', () => {
    const all = [
      series('checkout', 'error_rate', 20),
      series('payments', 'latency_p95', 17),
      series('search', 'volume', 21),
      series('search', 'error_rate', 35),
      series('users', 'volume', null),
    ];
    const r = correlateSignals(all, {
      service: 'checkout',
      atMs: T0 + 24 * M,
      windowMinutes: 10,
      minScore: 0.99,
      limit: 10,
    });
    expect(r.metric).toBe('error_rate');
    expect(r.onsetMs).toBe(T0 + 20 * M);
    expect(r.related.map((x) => `${x.service}/${x.metric}`)).toEqual(['search/volume', 'payments/latency_p95']);
    const payments = r.related.find((x) => x.service === 'payments');
    expect(payments).toMatchObject({ leadMinutes: 3, window: 'preceding' });
    expect(r.related[0]).toMatchObject({ leadMinutes: -1, window: 'same' });
    expect(r.related[0]?.correlation).toBeGreaterThan(0.8);
  });

  it('pearson is 1 for a line and 0 for a constant', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
  });
});

describe('rankTemplateChanges', () => {
  it('ranks new and surging templates, and ones that went quiet, by Poisson z', async () => {
    const { rankTemplateChanges } = await import('./templates.js');
    const ranked = rankTemplateChanges(
      [
        {
          service: 'checkout',
          templateId: 'aaaaaaaaaaaa',
          pattern: 'payment failed <*>',
          baseline: 0,
          preceding: 2,
          same: 40,
        },
        {
          service: 'checkout',
          templateId: 'bbbbbbbbbbbb',
          pattern: 'request handled',
          baseline: 600,
          preceding: 100,
          same: 98,
        },
        {
          service: 'payments',
          templateId: 'cccccccccccc',
          pattern: 'timeout to <*>',
          baseline: 60,
          preceding: 50,
          same: 45,
        },
        {
          service: 'search',
          templateId: 'dddddddddddd',
          pattern: 'heartbeat',
          baseline: 600,
          preceding: 100,
          same: 10,
        },
        { service: 'search', templateId: 'eeeeeeeeeeee', pattern: 'rare', baseline: 0, preceding: 0, same: 1 },
      ],
      { baselineWindows: 6, minAbsZ: 3, limit: 10 }
    );
    expect(ranked.map((t) => t.templateId)).toEqual(['aaaaaaaaaaaa', 'cccccccccccc', 'dddddddddddd']);
    expect(ranked[0]).toMatchObject({ isNew: true, window: 'same' });
    expect(ranked[1]).toMatchObject({ window: 'preceding', expected: 10 });
    expect(ranked[2]?.z).toBeLessThan(0);
  });
});
