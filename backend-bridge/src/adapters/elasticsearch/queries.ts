import type { Client } from '@elastic/elasticsearch';
import type {
  LogRecord,
  LogSearchRequest,
  LogSearchResponse,
  LogVolumeRequest,
  LogVolumeResponse,
  ServicesResponse,
} from '@cairn/contract';

const LOGS = 'cairn-logs-*';

function timeRange(from: string, to: string): Record<string, unknown> {
  return { range: { '@timestamp': { gte: from, lte: to } } };
}

/** Free text, service, level, trace filters, newest first. */
export async function searchLogs(client: Client, req: LogSearchRequest, signal?: AbortSignal): Promise<LogSearchResponse> {
  const filter: Record<string, unknown>[] = [timeRange(req.from, req.to)];
  if (req.service) filter.push({ term: { 'service.name': req.service } });
  if (req.level) filter.push({ term: { 'log.level': req.level } });
  if (req.traceId) filter.push({ term: { 'trace.id': req.traceId } });
  const must = req.query ? [{ simple_query_string: { query: req.query, fields: ['message'], default_operator: 'and' as const } }] : [];
  const result = await client.search<LogRecord>(
    {
      index: LOGS,
      size: req.limit,
      track_total_hits: 10_000,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { filter, must } },
      sort: [{ '@timestamp': { order: 'desc' } }],
    },
    { signal }
  );
  const total = typeof result.hits.total === 'number' ? result.hits.total : (result.hits.total?.value ?? 0);
  return {
    total,
    hits: result.hits.hits.flatMap((h) => (h._source ? [{ id: h._id ?? '', index: h._index, record: h._source }] : [])),
  };
}

/** Per-service document and error counts per time bucket. */
export async function logVolume(client: Client, req: LogVolumeRequest, signal?: AbortSignal): Promise<LogVolumeResponse> {
  const filter: Record<string, unknown>[] = [timeRange(req.from, req.to)];
  if (req.service) filter.push({ term: { 'service.name': req.service } });
  const result = await client.search(
    {
      index: LOGS,
      size: 0,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { filter } },
      aggs: {
        services: {
          terms: { field: 'service.name', size: 500 },
          aggs: {
            over_time: {
              date_histogram: { field: '@timestamp', fixed_interval: req.interval, min_doc_count: 0 },
              aggs: { errors: { filter: { terms: { 'log.level': ['error', 'fatal'] } } } },
            },
          },
        },
      },
    },
    { signal }
  );
  type Bucket = { key: string; over_time: { buckets: Array<{ key: number; doc_count: number; errors: { doc_count: number } }> } };
  const buckets = ((result.aggregations?.services as { buckets?: Bucket[] } | undefined)?.buckets ?? []) as Bucket[];
  return {
    series: buckets.map((b) => ({
      service: b.key,
      points: b.over_time.buckets.map((p) => ({ time: p.key, count: p.doc_count, errors: p.errors.doc_count })),
    })),
  };
}

export async function listServices(client: Client, from: string, to: string, signal?: AbortSignal): Promise<ServicesResponse> {
  const result = await client.search(
    {
      index: LOGS,
      size: 0,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { filter: [timeRange(from, to)] } },
      aggs: {
        services: {
          terms: { field: 'service.name', size: 1000 },
          aggs: { errors: { filter: { terms: { 'log.level': ['error', 'fatal'] } } } },
        },
      },
    },
    { signal }
  );
  type Bucket = { key: string; doc_count: number; errors: { doc_count: number } };
  const buckets = ((result.aggregations?.services as { buckets?: Bucket[] } | undefined)?.buckets ?? []) as Bucket[];
  return { services: buckets.map((b) => ({ name: b.key, count: b.doc_count, errors: b.errors.doc_count })) };
}

/** Counts documents by Kafka coordinates: used by the operator CLI and the delivery tests. */
export async function countLogs(client: Client, query?: Record<string, unknown>): Promise<number> {
  await client.indices.refresh({ index: LOGS, ignore_unavailable: true, allow_no_indices: true });
  const r = await client.count({ index: LOGS, ignore_unavailable: true, allow_no_indices: true, query });
  return r.count;
}
