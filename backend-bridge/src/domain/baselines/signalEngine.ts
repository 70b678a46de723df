import type { SignalDoc, SignalMetric } from '@cairn/contract';
import { SignalScorer, type Sampling, type SignalScorerOptions } from './signalScorer.js';

/** One service's raw per-minute numbers, before scoring. Latencies in milliseconds, null without durations. */
export interface MinuteMetrics {
  minuteMs: number;
  volume: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface SignalEngineOptions {
  scorer: Partial<SignalScorerOptions>;
  /** A service silent for this long is forgotten (no more zero-volume minutes for it). */
  forgetAfterMs: number;
}

const MINUTE_MS = 60_000;

interface ServiceState {
  /** Exclusive end of the last minute scored. */
  cursorMs: number;
  lastSeenMs: number;
  scorers: Map<SignalMetric, SignalScorer>;
}

/**
 * Per-service, per-metric streaming state: turns per-minute metrics into scored signal documents, minute by
 * minute and in time order. Minutes a known service did not log in count as zero volume (a silent service is
 * news); minutes already scored are skipped, so feeding an overlapping range twice changes nothing.
 */
export class SignalEngine {
  private readonly services = new Map<string, ServiceState>();
  private readonly options: SignalEngineOptions;

  constructor(
    private readonly tierOf: (service: string) => string,
    options: Partial<SignalEngineOptions> = {}
  ) {
    this.options = { scorer: {}, forgetAfterMs: 86_400_000, ...options };
  }

  get serviceCount(): number {
    return this.services.size;
  }

  /** Scores [fromMs, toMs) for every service with data in it or known before; returns the documents in time order. */
  process(byService: ReadonlyMap<string, readonly MinuteMetrics[]>, fromMs: number, toMs: number): SignalDoc[] {
    const docs: SignalDoc[] = [];
    const names = new Set([...this.services.keys(), ...byService.keys()]);
    for (const service of names) {
      const minutes = byService.get(service) ?? [];
      let state = this.services.get(service);
      const first = minutes[0];
      if (!state) {
        if (!first) continue;
        state = { cursorMs: first.minuteMs, lastSeenMs: first.minuteMs, scorers: new Map() };
        this.services.set(service, state);
      }
      const byMinute = new Map(minutes.map((m) => [m.minuteMs, m]));
      const start = Math.max(state.cursorMs, Math.floor(fromMs / MINUTE_MS) * MINUTE_MS);
      const tier = this.tierOf(service);
      for (let t = start; t < toMs; t += MINUTE_MS) {
        const m = byMinute.get(t);
        if (m) state.lastSeenMs = t;
        else if (t - state.lastSeenMs > this.options.forgetAfterMs) break;
        this.scoreMinute(
          service,
          tier,
          state,
          m ?? { minuteMs: t, volume: 0, errors: 0, p50: null, p95: null, p99: null },
          docs
        );
        state.cursorMs = t + MINUTE_MS;
      }
      if (toMs - state.lastSeenMs > this.options.forgetAfterMs) this.services.delete(service);
    }
    docs.sort((a, b) => (a['@timestamp'] < b['@timestamp'] ? -1 : a['@timestamp'] > b['@timestamp'] ? 1 : 0));
    return docs;
  }

  private scoreMinute(service: string, tier: string, state: ServiceState, m: MinuteMetrics, out: SignalDoc[]): void {
    const timestamp = new Date(m.minuteMs).toISOString();
    const emit = (metric: SignalMetric, value: number | null, sampling?: Sampling): void => {
      if (value === null || !Number.isFinite(value)) return;
      let scorer = state.scorers.get(metric);
      if (!scorer) state.scorers.set(metric, (scorer = new SignalScorer(this.options.scorer)));
      const p = scorer.score(m.minuteMs, value, sampling);
      out.push({
        '@timestamp': timestamp,
        service: { name: service },
        metric,
        value,
        expected: p.expected,
        lower: p.lower,
        upper: p.upper,
        score: p.score,
        tier,
      });
    };
    emit('volume', m.volume, { kind: 'count' });
    if (m.volume > 0) emit('error_rate', m.errors / m.volume, { kind: 'rate', n: m.volume });
    emit('latency_p50', m.p50);
    emit('latency_p95', m.p95);
    emit('latency_p99', m.p99);
  }
}
