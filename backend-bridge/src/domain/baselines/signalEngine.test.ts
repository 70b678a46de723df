import { describe, expect, it } from 'vitest';
import { SignalEngine, type MinuteMetrics } from './signalEngine.js';

const T0 = Date.UTC(2024, 0, 1);
const M = 60_000;

function minute(i: number, volume: number, errors = 0, latency: number | null = 20): MinuteMetrics {
  return { minuteMs: T0 + i * M, volume, errors, p50: latency, p95: latency === null ? null : latency * 2, p99: null };
}

describe('SignalEngine', () => {
  it('emits one document per metric and minute, zero-fills silent minutes, and skips minutes already scored', () => {
    const engine = new SignalEngine(() => 'critical');
    const data = new Map([['checkout', [minute(0, 10, 1), minute(2, 5)]]]);
    const docs = engine.process(data, T0, T0 + 3 * M);
    const at = (i: number) =>
      docs.filter((d) => d['@timestamp'] === new Date(T0 + i * M).toISOString()).map((d) => d.metric);
    expect(at(0)).toEqual(['volume', 'error_rate', 'latency_p50', 'latency_p95']);
    expect(at(1)).toEqual(['volume']);
    expect(docs.find((d) => d.metric === 'volume' && d['@timestamp'] === new Date(T0 + M).toISOString())?.value).toBe(
      0
    );
    expect(docs.find((d) => d.metric === 'error_rate')).toMatchObject({
      value: 0.1,
      tier: 'critical',
      service: { name: 'checkout' },
    });
    // Feeding the same range again scores nothing twice.
    expect(engine.process(data, T0, T0 + 3 * M)).toEqual([]);
    expect(engine.process(new Map(), T0 + 3 * M, T0 + 4 * M).map((d) => d.metric)).toEqual(['volume']);
  });

  it('forgets a service silent for longer than forgetAfterMs', () => {
    const engine = new SignalEngine(() => 'standard', { forgetAfterMs: 5 * M });
    engine.process(new Map([['old', [minute(0, 3)]]]), T0, T0 + M);
    const docs = engine.process(new Map(), T0 + M, T0 + 20 * M);
    expect(docs.length).toBeLessThanOrEqual(5);
    expect(engine.serviceCount).toBe(0);
  });
});
