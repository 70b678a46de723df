import { describe, expect, it } from 'vitest';
import { paramDistributions } from '../../adapters/elasticsearch/patternQueries.js';
import { durationMs, sparklineInterval, timeMs } from './interval.js';

describe('sparkline interval', () => {
  const now = Date.UTC(2026, 0, 2);
  it('parses durations and the time forms the API accepts', () => {
    expect(durationMs('15m')).toBe(900_000);
    expect(durationMs('soon')).toBeUndefined();
    expect(timeMs('now-1h', now)).toBe(now - 3_600_000);
    expect(timeMs('2026-01-01T00:00:00Z', now)).toBe(Date.UTC(2026, 0, 1));
    expect(timeMs(String(now), now)).toBe(now);
    expect(timeMs('now/d', now)).toBeUndefined();
  });
  it('keeps the requested interval when the bucket count is small, widens it otherwise', () => {
    expect(sparklineInterval('now-1h', 'now', '1m', 240, now)).toBe('1m');
    expect(sparklineInterval('now-1d', 'now', '1m', 240, now)).toBe('10m');
    expect(sparklineInterval('now-90d', 'now', '1m', 240, now)).toBe('12h');
    expect(sparklineInterval('now/d', 'now', '1m', 240, now)).toBe('1m');
  });
});

describe('paramDistributions', () => {
  it('counts values per position, most frequent first, ties by value', () => {
    const d = paramDistributions(
      [
        ['root', '22'],
        ['admin', '22'],
        ['root', '23'],
        ['guest', '24'],
      ],
      2
    );
    expect(d).toEqual([
      {
        position: 0,
        distinct: 3,
        values: [
          { value: 'root', count: 2 },
          { value: 'admin', count: 1 },
        ],
      },
      {
        position: 1,
        distinct: 3,
        values: [
          { value: '22', count: 2 },
          { value: '23', count: 1 },
        ],
      },
    ]);
  });
});
