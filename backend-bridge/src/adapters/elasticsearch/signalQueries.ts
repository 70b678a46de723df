import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { SIGNALS_INDEX, type SignalDoc, type SignalMetric } from '@cairn/contract';
import type { MinuteMetrics } from '../../domain/baselines/signalEngine.js';
import type { TemplateWindowCounts } from '../../domain/correlation/templates.js';

export type { MinuteMetrics };

export interface SeriesExtractionRequest {
  index: string;
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  /** Only these services (all when absent). */
  services?: string[];
  /** Only services whose name starts with this (tests give their services a unique prefix). */
  servicePrefix?: string;
  pageSize?: number;
}

/** Lines at these levels, or with a 5xx status, count as errors. */
export const ERROR_LEVELS = ['error', 'fatal', 'critical', 'emergency', 'alert'];

/**
 * Per service and minute: volume, errors and latency percentiles (event.duration is in nanoseconds), with a
 * composite aggregation so any number of services and minutes pages through without hitting max_buckets.
 * Minutes without a line are absent; the caller fills zeros where a service is known to exist.
 */
export async function extractMinuteMetrics(
  es: Client,
  req: SeriesExtractionRequest,
  signal?: AbortSignal
): Promise<Map<string, MinuteMetrics[]>> {
  const filter: Record<string, unknown>[] = [
    { range: { '@timestamp': { gte: req.fromMs, lt: req.toMs, format: 'epoch_millis' } } },
  ];
  if (req.services) filter.push({ terms: { 'service.name': req.services } });
  if (req.servicePrefix) filter.push({ prefix: { 'service.name': req.servicePrefix } });
  const out = new Map<string, MinuteMetrics[]>();
  let after: Record<string, string | number> | undefined;
  for (;;) {
    const r = await es.search(
      {
        index: req.index,
        size: 0,
        ignore_unavailable: true,
        allow_no_indices: true,
        query: { bool: { filter } },
        aggs: {
          series: {
            composite: {
              size: req.pageSize ?? 2000,
              sources: [
                { service: { terms: { field: 'service.name' } } },
                { minute: { date_histogram: { field: '@timestamp', fixed_interval: '1m' } } },
              ],
              ...(after ? { after } : {}),
            },
            aggs: {
              errors: {
                filter: {
                  bool: {
                    should: [
                      { terms: { 'log.level': ERROR_LEVELS } },
                      { range: { 'http.response.status_code': { gte: 500 } } },
                    ],
                    minimum_should_match: 1,
                  },
                },
              },
              latency: { percentiles: { field: 'event.duration', percents: [50, 95, 99] } },
            },
          },
        },
      },
      { signal }
    );
    const agg = r.aggregations?.series as
      | {
          buckets: Array<{
            key: { service: string; minute: number };
            doc_count: number;
            errors: { doc_count: number };
            latency: { values: Record<string, number | null> };
          }>;
          after_key?: Record<string, string | number>;
        }
      | undefined;
    if (!agg || agg.buckets.length === 0) break;
    for (const b of agg.buckets) {
      let list = out.get(b.key.service);
      if (!list) out.set(b.key.service, (list = []));
      const ms = (p: string): number | null => {
        const v = b.latency.values[p];
        return typeof v === 'number' && Number.isFinite(v) ? v / 1e6 : null;
      };
      list.push({
        minuteMs: b.key.minute,
        volume: b.doc_count,
        errors: b.errors.doc_count,
        p50: ms('50.0'),
        p95: ms('95.0'),
        p99: ms('99.0'),
      });
    }
    if (!agg.after_key) break;
    after = agg.after_key;
  }
  for (const list of out.values()) list.sort((a, b) => a.minuteMs - b.minuteMs);
  return out;
}

/** Services that logged in a range (for batch recompute), sorted by name. */
export async function listServices(
  es: Client,
  index: string,
  fromMs: number,
  toMs: number,
  servicePrefix?: string
): Promise<string[]> {
  const filter: Record<string, unknown>[] = [
    { range: { '@timestamp': { gte: fromMs, lt: toMs, format: 'epoch_millis' } } },
  ];
  if (servicePrefix) filter.push({ prefix: { 'service.name': servicePrefix } });
  const names: string[] = [];
  let after: Record<string, string | number> | undefined;
  for (;;) {
    const r = await es.search({
      index,
      size: 0,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { filter } },
      aggs: {
        s: {
          composite: {
            size: 1000,
            sources: [{ service: { terms: { field: 'service.name' } } }],
            ...(after ? { after } : {}),
          },
        },
      },
    });
    const agg = r.aggregations?.s as
      { buckets: Array<{ key: { service: string } }>; after_key?: Record<string, string | number> } | undefined;
    if (!agg || agg.buckets.length === 0) break;
    for (const b of agg.buckets) names.push(b.key.service);
    if (!agg.after_key) break;
    after = agg.after_key;
  }
  return names.sort();
}

/** Deterministic document ID: the same service, metric and minute always overwrite the same document. */
export function signalDocId(service: string, metric: SignalMetric, minuteMs: number): string {
  return createHash('sha1').update(`${service}\u0000${metric}\u0000${minuteMs}`).digest('hex');
}

/** Writes signal documents with `index` (overwrite) so a rerun replaces, never duplicates. */
export async function writeSignals(
  es: Client,
  docs: SignalDoc[],
  index: string = SIGNALS_INDEX,
  signal?: AbortSignal
): Promise<void> {
  for (let i = 0; i < docs.length; i += 5000) {
    const chunk = docs.slice(i, i + 5000);
    const operations: unknown[] = [];
    for (const d of chunk) {
      operations.push({
        index: { _index: index, _id: signalDocId(d.service.name, d.metric, Date.parse(d['@timestamp'])) },
      });
      operations.push(d);
    }
    const r = await es.bulk({ operations }, { signal });
    if (r.errors) {
      const failed = r.items.flatMap((item) => (item.index?.error ? [item.index] : []));
      const retryable = failed.every((f) => f.status === 429 || (f.status ?? 0) >= 500);
      const first = failed[0]?.error;
      throw new Error(
        `${failed.length} of ${chunk.length} signal documents rejected${retryable ? ' (retryable)' : ''}: ${first?.type ?? ''} ${first?.reason ?? ''}`
      );
    }
  }
}

export interface SignalHit extends SignalDoc {
  timeMs: number;
}

/** Signals in a range, oldest first, optionally for one service and metric (search_after pagination). */
export async function searchSignals(
  es: Client,
  q: {
    index?: string;
    from: string | number;
    to: string | number;
    service?: string;
    metric?: SignalMetric;
    services?: string[];
    max?: number;
  },
  signal?: AbortSignal
): Promise<SignalHit[]> {
  const filter: Record<string, unknown>[] = [{ range: { '@timestamp': { gte: q.from, lte: q.to } } }];
  if (q.service) filter.push({ term: { 'service.name': q.service } });
  if (q.services) filter.push({ terms: { 'service.name': q.services } });
  if (q.metric) filter.push({ term: { metric: q.metric } });
  const max = q.max ?? 50_000;
  const hits: SignalHit[] = [];
  let after: unknown[] | undefined;
  while (hits.length < max) {
    const r = await es.search<SignalDoc>(
      {
        index: q.index ?? SIGNALS_INDEX,
        size: Math.min(5000, max - hits.length),
        ignore_unavailable: true,
        allow_no_indices: true,
        query: { bool: { filter } },
        sort: [{ '@timestamp': 'asc' }, { metric: 'asc' }, { 'service.name': 'asc' }],
        ...(after ? { search_after: after as never } : {}),
      },
      { signal }
    );
    const page = r.hits.hits;
    for (const h of page) if (h._source) hits.push({ ...h._source, timeMs: Date.parse(h._source['@timestamp']) });
    const last = page[page.length - 1];
    if (page.length === 0 || !last?.sort) break;
    after = last.sort;
  }
  return hits;
}

export interface RankedAnomalyRow {
  service: string;
  metric: SignalMetric;
  anomalousMinutes: number;
  peak: SignalHit;
}

/** Service/metric pairs whose score reached minScore in the range, with their peak, highest peak first. */
export async function rankAnomalies(
  es: Client,
  q: { index?: string; from: string; to: string; service?: string; minScore: number; limit: number },
  signal?: AbortSignal
): Promise<RankedAnomalyRow[]> {
  const filter: Record<string, unknown>[] = [
    { range: { '@timestamp': { gte: q.from, lte: q.to } } },
    { range: { score: { gte: q.minScore } } },
  ];
  if (q.service) filter.push({ term: { 'service.name': q.service } });
  // Nested terms (multi_terms needs x-pack): services by peak score, then their metrics.
  const r = await es.search(
    {
      index: q.index ?? SIGNALS_INDEX,
      size: 0,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { filter } },
      aggs: {
        services: {
          terms: { field: 'service.name', size: q.limit, order: { peak: 'desc' } },
          aggs: {
            peak: { max: { field: 'score' } },
            metrics: {
              terms: { field: 'metric', size: 20, order: { peak: 'desc' } },
              aggs: {
                peak: { max: { field: 'score' } },
                top: { top_hits: { size: 1, sort: [{ score: 'desc' }, { '@timestamp': 'asc' }] } },
              },
            },
          },
        },
      },
    },
    { signal }
  );
  const agg = r.aggregations?.services as
    | {
        buckets: Array<{
          key: string;
          metrics: {
            buckets: Array<{ key: string; doc_count: number; top: { hits: { hits: Array<{ _source?: SignalDoc }> } } }>;
          };
        }>;
      }
    | undefined;
  const rows: RankedAnomalyRow[] = [];
  for (const s of agg?.buckets ?? []) {
    for (const m of s.metrics.buckets) {
      const src = m.top.hits.hits[0]?._source;
      if (src)
        rows.push({
          service: s.key,
          metric: m.key as SignalMetric,
          anomalousMinutes: m.doc_count,
          peak: { ...src, timeMs: Date.parse(src['@timestamp']) },
        });
    }
  }
  rows.sort((a, b) => b.peak.score - a.peak.score || b.anomalousMinutes - a.anomalousMinutes);
  return rows.slice(0, q.limit);
}

/**
 * Per service and template: lines in [baselineFrom, precedingFrom), [precedingFrom, onset) and [onset, sameTo),
 * one composite page at a time (any number of templates).
 */
export async function templateWindowCounts(
  es: Client,
  q: { index: string; baselineFromMs: number; precedingFromMs: number; onsetMs: number; sameToMs: number },
  signal?: AbortSignal
): Promise<TemplateWindowCounts[]> {
  const range = (from: number, to: number) => ({
    range: { '@timestamp': { gte: from, lt: to, format: 'epoch_millis' } },
  });
  const out: TemplateWindowCounts[] = [];
  let after: Record<string, string | number> | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await es.search(
      {
        index: q.index,
        size: 0,
        ignore_unavailable: true,
        allow_no_indices: true,
        query: { bool: { filter: [range(q.baselineFromMs, q.sameToMs), { exists: { field: 'template.id' } }] } },
        aggs: {
          t: {
            composite: {
              size: 1000,
              sources: [
                { service: { terms: { field: 'service.name' } } },
                { template: { terms: { field: 'template.id' } } },
              ],
              ...(after ? { after } : {}),
            },
            aggs: {
              w: {
                filters: {
                  filters: {
                    baseline: range(q.baselineFromMs, q.precedingFromMs),
                    preceding: range(q.precedingFromMs, q.onsetMs),
                    same: range(q.onsetMs, q.sameToMs),
                  },
                },
              },
              sample: { top_hits: { size: 1, _source: ['template.pattern'] } },
            },
          },
        },
      },
      { signal }
    );
    const agg = r.aggregations?.t as
      | {
          buckets: Array<{
            key: { service: string; template: string };
            w: { buckets: Record<'baseline' | 'preceding' | 'same', { doc_count: number }> };
            sample: { hits: { hits: Array<{ _source?: { template?: { pattern?: string } } }> } };
          }>;
          after_key?: Record<string, string | number>;
        }
      | undefined;
    if (!agg || agg.buckets.length === 0) break;
    for (const b of agg.buckets) {
      out.push({
        service: b.key.service,
        templateId: b.key.template,
        pattern: b.sample.hits.hits[0]?._source?.template?.pattern ?? null,
        baseline: b.w.buckets.baseline.doc_count,
        preceding: b.w.buckets.preceding.doc_count,
        same: b.w.buckets.same.doc_count,
      });
    }
    if (!agg.after_key) break;
    after = agg.after_key;
  }
  return out;
}
