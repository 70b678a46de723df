import type { Client } from '@elastic/elasticsearch';
import type { LogRecord } from '@cairn/contract';
import type { AttributeValue, Span } from '../../domain/otlp/types.js';
import type { BulkDoc } from './client.js';

const SPANS = 'cairn-spans*';
const LOGS = 'cairn-logs-*';
/** Fields the indexer adds beside the span (for searches); stripped when reading spans back. */
const SEARCH_ONLY_FIELDS = ['user.id', 'session.id'] as const;
const USER_KEYS = ['user.id', 'enduser.id'];
const SESSION_KEYS = ['session.id'];

function firstText(span: Span, keys: readonly string[]): string | undefined {
  for (const source of [span.attributes, span.resource]) {
    for (const key of keys) {
      const value: AttributeValue | undefined = source[key];
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
    }
  }
  return undefined;
}

/** `_id` = trace ID + span ID: a replayed span is a 409 (already there), never a second copy. */
export function spanDocumentId(span: Span): string {
  return `${span['trace.id']}${span['span.id']}`;
}

export function spanBulkDoc(span: Span, index: string): BulkDoc {
  const doc: Record<string, unknown> = { ...span };
  const userId = firstText(span, USER_KEYS);
  const sessionId = firstText(span, SESSION_KEYS);
  if (userId !== undefined) doc['user.id'] = userId;
  if (sessionId !== undefined) doc['session.id'] = sessionId;
  return { index, id: spanDocumentId(span), json: JSON.stringify(doc) };
}

function spanFromSource(source: Record<string, unknown>): Span {
  const copy = { ...source };
  for (const key of SEARCH_ONLY_FIELDS) delete copy[key];
  return copy as unknown as Span;
}

const PAGE = 5000;

/** Up to `max` spans matching a query, newest last; `truncated` when more matched. */
async function searchSpans(
  es: Client,
  query: Record<string, unknown>,
  max: number,
  signal?: AbortSignal
): Promise<{ spans: Span[]; truncated: boolean }> {
  const spans: Span[] = [];
  let searchAfter: unknown[] | undefined;
  for (;;) {
    const size = Math.min(PAGE, max - spans.length + 1);
    const result = await es.search<Record<string, unknown>>(
      {
        index: SPANS,
        size,
        ignore_unavailable: true,
        allow_no_indices: true,
        query,
        // _id is not sortable by default; trace+span ID are keywords and unique together.
        sort: [{ 'start.us': 'desc' }, { 'trace.id': 'asc' }, { 'span.id': 'asc' }],
        ...(searchAfter ? { search_after: searchAfter as never } : {}),
      },
      { signal }
    );
    const hits = result.hits.hits;
    for (const hit of hits) if (hit._source) spans.push(spanFromSource(hit._source));
    if (spans.length > max) return { spans: spans.slice(0, max).reverse(), truncated: true };
    const last = hits[hits.length - 1];
    if (hits.length < size || !last?.sort) return { spans: spans.reverse(), truncated: false };
    searchAfter = last.sort;
  }
}

export function spansOfTrace(es: Client, traceId: string, max: number, signal?: AbortSignal) {
  return searchSpans(es, { term: { 'trace.id': traceId } }, max, signal);
}

function timeFilter(from: string, to: string): Record<string, unknown> {
  return { range: { '@timestamp': { gte: from, lte: to } } };
}

export function spansInRange(
  es: Client,
  range: { from: string; to: string; service?: string },
  max: number,
  signal?: AbortSignal
) {
  const filter: Record<string, unknown>[] = [timeFilter(range.from, range.to)];
  if (range.service) filter.push({ term: { 'service.name': range.service } });
  return searchSpans(es, { bool: { filter } }, max, signal);
}

/** Spans carrying the user or session ID, and every span of the traces they are in. */
export async function spansOfJourney(
  es: Client,
  key: { userId?: string; sessionId?: string; from: string; to: string },
  max: number,
  signal?: AbortSignal
): Promise<{ spans: Span[]; truncated: boolean; traceIds: string[] }> {
  const should: Record<string, unknown>[] = [];
  if (key.userId !== undefined) should.push({ term: { 'user.id': key.userId } });
  if (key.sessionId !== undefined) should.push({ term: { 'session.id': key.sessionId } });
  const direct = await searchSpans(
    es,
    { bool: { filter: [timeFilter(key.from, key.to)], should, minimum_should_match: 1 } },
    max,
    signal
  );
  const traceIds = [...new Set(direct.spans.map((s) => s['trace.id']))];
  if (traceIds.length === 0) return { ...direct, traceIds };
  const all = await searchSpans(es, { terms: { 'trace.id': traceIds.slice(0, 1000) } }, max, signal);
  return { spans: all.spans, truncated: direct.truncated || all.truncated || traceIds.length > 1000, traceIds };
}

/** Log records of a trace, oldest first. */
export async function logsOfTrace(
  es: Client,
  traceId: string,
  max: number,
  signal?: AbortSignal
): Promise<{ logs: LogRecord[]; truncated: boolean }> {
  return searchLogRecords(es, { term: { 'trace.id': traceId } }, max, signal);
}

/** Logs carrying the user or session ID, or in one of the given traces. */
export async function logsOfJourney(
  es: Client,
  key: { userId?: string; sessionId?: string; from: string; to: string },
  traceIds: readonly string[],
  max: number,
  signal?: AbortSignal
): Promise<{ logs: LogRecord[]; truncated: boolean }> {
  const should: Record<string, unknown>[] = [];
  if (key.userId !== undefined) should.push({ term: { 'user.id': key.userId } });
  if (key.sessionId !== undefined) should.push({ term: { 'session.id': key.sessionId } });
  if (traceIds.length > 0) should.push({ terms: { 'trace.id': traceIds.slice(0, 1000) } });
  return searchLogRecords(
    es,
    { bool: { filter: [timeFilter(key.from, key.to)], should, minimum_should_match: 1 } },
    max,
    signal
  );
}

async function searchLogRecords(
  es: Client,
  query: Record<string, unknown>,
  max: number,
  signal?: AbortSignal
): Promise<{ logs: LogRecord[]; truncated: boolean }> {
  const result = await es.search<LogRecord>(
    {
      index: LOGS,
      size: Math.min(max + 1, 10_000),
      ignore_unavailable: true,
      allow_no_indices: true,
      query,
      sort: [{ '@timestamp': 'asc' }],
    },
    { signal }
  );
  const logs = result.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
  return { logs: logs.slice(0, max), truncated: logs.length > max };
}
