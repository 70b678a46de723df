import type { Client } from '@elastic/elasticsearch';
import type {
  LogRecord,
  NewPatternsRequest,
  NewPatternsResponse,
  ParamDistribution,
  PatternInfo,
  PatternLinesRequest,
  PatternLinesResponse,
  PatternParamsRequest,
  PatternParamsResponse,
  TopPattern,
  TopPatternsRequest,
  TopPatternsResponse,
} from '@cairn/contract';
import { levelRank, TEMPLATES_INDEX, type TemplateDoc } from './patternIndex.js';

const LOGS = 'cairn-logs-*';
const MAX_HOPS = 8;

export interface PatternIndices {
  logs: string;
  templates: string;
}

const DEFAULT_INDICES: PatternIndices = { logs: LOGS, templates: TEMPLATES_INDEX };

function timeRange(field: string, from: string, to: string): Record<string, unknown> {
  return { range: { [field]: { gte: from, lte: to } } };
}

function totalOf(total: number | { value: number } | undefined): number {
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

function infoOf(doc: TemplateDoc): PatternInfo {
  const { levelRank: _rank, updatedAt: _updated, ...info } = doc;
  return info;
}

/** Template documents by ID (missing IDs are absent from the map). */
export async function templateDocs(
  client: Client,
  ids: string[],
  indices = DEFAULT_INDICES
): Promise<Map<string, TemplateDoc>> {
  const out = new Map<string, TemplateDoc>();
  if (ids.length === 0) return out;
  const r = await client.search<TemplateDoc>({
    index: indices.templates,
    size: ids.length,
    ignore_unavailable: true,
    allow_no_indices: true,
    query: { ids: { values: ids } },
  });
  for (const h of r.hits.hits) if (h._source) out.set(h._source.id, h._source);
  return out;
}

/** Follows `mergedInto` to the live template of each ID; IDs without a document map to themselves. */
export async function resolveTemplates(
  client: Client,
  ids: string[],
  indices = DEFAULT_INDICES
): Promise<Map<string, TemplateDoc | undefined>> {
  const docs = await templateDocs(client, ids, indices);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const missing = [...docs.values()].flatMap((d) =>
      d.mergedInto !== undefined && !docs.has(d.mergedInto) ? [d.mergedInto] : []
    );
    if (missing.length === 0) break;
    for (const [id, d] of await templateDocs(client, [...new Set(missing)], indices)) docs.set(id, d);
  }
  const out = new Map<string, TemplateDoc | undefined>();
  for (const id of ids) {
    let d = docs.get(id);
    for (let hop = 0; d?.mergedInto !== undefined && hop < MAX_HOPS; hop++) d = docs.get(d.mergedInto) ?? d;
    out.set(id, d);
  }
  return out;
}

/** One template by ID, following merges; undefined when unknown. */
export async function getPattern(
  client: Client,
  id: string,
  indices = DEFAULT_INDICES
): Promise<PatternInfo | undefined> {
  const doc = (await resolveTemplates(client, [id], indices)).get(id);
  return doc === undefined ? undefined : infoOf(doc);
}

/** The IDs stored lines of a template may carry: its own and those merged into it. */
async function lineIds(
  client: Client,
  id: string,
  indices: PatternIndices
): Promise<{ ids: string[]; doc?: TemplateDoc }> {
  const doc = (await resolveTemplates(client, [id], indices)).get(id);
  if (doc === undefined) return { ids: [id] };
  return { ids: [...new Set([doc.id, ...doc.aliases, id])], doc };
}

interface TopBucket {
  key: string;
  doc_count: number;
  errors: { doc_count: number };
  over_time: { buckets: Array<{ key: number; doc_count: number }> };
  latest: { hits: { hits: Array<{ _source?: { template?: { pattern?: string }; service?: { name?: string } } }> } };
}

/** Busiest templates in a range with a sparkline each; lines stored under merged IDs count for their survivor. */
export async function topPatterns(
  client: Client,
  req: TopPatternsRequest,
  interval: string,
  indices = DEFAULT_INDICES
): Promise<TopPatternsResponse> {
  const filter: Record<string, unknown>[] = [
    timeRange('@timestamp', req.from, req.to),
    { exists: { field: 'template.id' } },
  ];
  if (req.service) filter.push({ term: { 'service.name': req.service } });
  if (req.level) filter.push({ term: { 'log.level': req.level } });
  const result = await client.search({
    index: indices.logs,
    size: 0,
    track_total_hits: true,
    ignore_unavailable: true,
    allow_no_indices: true,
    query: { bool: { filter } },
    aggs: {
      over_time: { date_histogram: { field: '@timestamp', fixed_interval: interval, min_doc_count: 0 } },
      ids: {
        terms: {
          field: 'template.id',
          size: Math.min(1000, req.limit * 3),
          shard_size: Math.min(5000, req.limit * 10),
        },
        aggs: {
          errors: { filter: { terms: { 'log.level': ['error', 'fatal'] } } },
          over_time: { date_histogram: { field: '@timestamp', fixed_interval: interval, min_doc_count: 1 } },
          latest: {
            top_hits: {
              size: 1,
              sort: [{ '@timestamp': { order: 'desc' } }],
              _source: ['template.pattern', 'service.name'],
            },
          },
        },
      },
    },
  });
  const total = totalOf(result.hits.total as number | { value: number } | undefined);
  const aggs = result.aggregations as unknown as {
    over_time: { buckets: Array<{ key: number }> };
    ids: { buckets: TopBucket[] };
  };
  const times = aggs.over_time.buckets.map((b) => b.key);
  const slot = new Map(times.map((t, i) => [t, i]));
  const buckets = aggs.ids.buckets;
  const resolved = await resolveTemplates(
    client,
    buckets.map((b) => b.key),
    indices
  );
  const byId = new Map<string, TopPattern & { counts: number[] }>();
  for (const b of buckets) {
    const doc = resolved.get(b.key);
    const id = doc?.id ?? b.key;
    let p = byId.get(id);
    if (p === undefined) {
      const latest = b.latest.hits.hits[0]?._source;
      p = {
        id,
        pattern: doc?.pattern ?? latest?.template?.pattern ?? '',
        service: doc?.service ?? latest?.service?.name ?? '',
        count: 0,
        share: 0,
        errors: 0,
        series: [],
        aliases: [],
        counts: new Array<number>(times.length).fill(0),
      };
      byId.set(id, p);
    }
    if (b.key !== id) p.aliases.push(b.key);
    p.count += b.doc_count;
    p.errors += b.errors.doc_count;
    for (const t of b.over_time.buckets) {
      const i = slot.get(t.key);
      if (i !== undefined) p.counts[i] = (p.counts[i] ?? 0) + t.doc_count;
    }
  }
  const patterns = [...byId.values()]
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1))
    .slice(0, req.limit)
    .map(({ counts, ...p }) => ({
      ...p,
      share: total > 0 ? p.count / total : 0,
      series: times.map((time, i) => ({ time, count: counts[i] ?? 0 })),
    }));
  return { total, interval, patterns };
}

/** Templates first seen in the window (merged ones excluded), error-level first, newest first. */
export async function newPatterns(
  client: Client,
  req: NewPatternsRequest,
  indices = DEFAULT_INDICES
): Promise<NewPatternsResponse> {
  const filter: Record<string, unknown>[] = [timeRange('firstSeen', req.from, req.to)];
  if (req.service) filter.push({ term: { service: req.service } });
  if (req.minLevel) filter.push({ range: { levelRank: { gte: levelRank(req.minLevel) } } });
  const r = await client.search<TemplateDoc>({
    index: indices.templates,
    size: req.limit,
    ignore_unavailable: true,
    allow_no_indices: true,
    query: { bool: { filter, must_not: [{ exists: { field: 'mergedInto' } }] } },
    sort: [{ levelRank: { order: 'desc' } }, { firstSeen: { order: 'desc' } }, { id: { order: 'asc' } }],
  });
  return { patterns: r.hits.hits.flatMap((h) => (h._source ? [infoOf(h._source)] : [])) };
}

/** A template's lines (including those stored under IDs merged into it), newest first. */
export async function patternLines(
  client: Client,
  id: string,
  req: PatternLinesRequest,
  indices = DEFAULT_INDICES
): Promise<PatternLinesResponse> {
  const { ids, doc } = await lineIds(client, id, indices);
  const r = await client.search<LogRecord>({
    index: indices.logs,
    size: req.limit,
    track_total_hits: 100_000,
    ignore_unavailable: true,
    allow_no_indices: true,
    query: { bool: { filter: [timeRange('@timestamp', req.from, req.to), { terms: { 'template.id': ids } }] } },
    sort: [{ '@timestamp': { order: 'desc' } }],
  });
  return {
    id: doc?.id ?? id,
    total: totalOf(r.hits.total as number | { value: number } | undefined),
    hits: r.hits.hits.flatMap((h) => (h._source ? [{ id: h._id ?? '', index: h._index, record: h._source }] : [])),
  };
}

/** Value counts per parameter position over the newest `sample` lines of a template. */
export async function patternParams(
  client: Client,
  id: string,
  req: PatternParamsRequest,
  indices = DEFAULT_INDICES
): Promise<PatternParamsResponse> {
  const { ids, doc } = await lineIds(client, id, indices);
  const r = await client.search<Pick<LogRecord, 'template'>>({
    index: indices.logs,
    size: req.sample,
    track_total_hits: true,
    ignore_unavailable: true,
    allow_no_indices: true,
    _source: ['template.params', 'template.pattern'],
    query: { bool: { filter: [timeRange('@timestamp', req.from, req.to), { terms: { 'template.id': ids } }] } },
    sort: [{ '@timestamp': { order: 'desc' } }],
  });
  const pattern = doc?.pattern ?? r.hits.hits[0]?._source?.template?.pattern ?? '';
  // Lines stored before a merge have the parameters of their older, narrower pattern: positions would not line up.
  const rows = r.hits.hits.flatMap((h) =>
    h._source?.template?.pattern === pattern ? [h._source.template.params ?? []] : []
  );
  return {
    id: doc?.id ?? id,
    pattern,
    total: totalOf(r.hits.total as number | { value: number } | undefined),
    sampled: rows.length,
    params: paramDistributions(rows, req.top),
  };
}

/** Per position: distinct values and the `top` most frequent (ties by value, for stable output). */
export function paramDistributions(rows: readonly string[][], top: number): ParamDistribution[] {
  const positions: Array<Map<string, number>> = [];
  for (const row of rows) {
    row.forEach((value, i) => {
      let counts = positions[i];
      if (counts === undefined) {
        counts = new Map();
        positions[i] = counts;
      }
      counts.set(value, (counts.get(value) ?? 0) + 1);
    });
  }
  return positions.map((counts, position) => ({
    position,
    distinct: counts.size,
    values: [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, top)
      .map(([value, count]) => ({ value, count })),
  }));
}
