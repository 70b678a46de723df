/**
 * Traces: the spans indexer (own consumer group on cairn.spans → cairn-spans) and the traces API
 * (one trace with its logs and analysis, the service graph, user journeys, slow operations).
 */
import {
  API_PREFIX,
  journeyRequestSchema,
  serviceGraphRequestSchema,
  slowOperationsRequestSchema,
  SPANS_INDEX,
  SPANS_TOPIC,
  traceRequestSchema,
  type JourneyResponse,
  type LogRecord,
  type ServiceGraphResponse,
  type SlowOperationsResponse,
} from '@cairn/contract';
import { HttpError, validate, type Route } from '../../adapters/http/server.js';
import {
  logsOfJourney,
  logsOfTrace,
  spansInRange,
  spansOfJourney,
  spansOfTrace,
} from '../../adapters/elasticsearch/spans.js';
import type { BridgeContext, BridgeModule, BridgeModuleFactory } from '../../bridge/module.js';
import type { OtlpLog } from '../../domain/otlp/types.js';
import {
  analyzeTrace,
  assembleTraces,
  buildServiceGraph,
  rankCodeHotSpots,
  rankSlowOperations,
  userJourney,
} from '../../domain/traces/index.js';
import { SpansIndexer } from './spansIndexer.js';
import { traceResponseOf } from './views.js';

export interface TracesModuleOptions {
  /** Topic the indexer consumes (default cairn.spans). */
  spans_topic?: string;
  /** Consumer group of the indexer (default cairn-spans-indexer). */
  spans_group_id?: string;
  /** Write alias spans are indexed into (default cairn-spans). */
  spans_index?: string;
  /** Spans read for one trace at most. */
  max_trace_spans?: number;
  /** Logs returned with one trace at most. */
  max_trace_logs?: number;
}

const DEFAULT_GROUP = 'cairn-spans-indexer';

/** A stored log record in the shape the journey domain function reads. */
function logRecordAsOtlpLog(record: LogRecord): OtlpLog {
  const attributes: OtlpLog['attributes'] = {};
  if (record.user?.id) attributes['user.id'] = record.user.id;
  if (record.session?.id) attributes['session.id'] = record.session.id;
  const ms = Date.parse(record['@timestamp']);
  const log: OtlpLog = {
    timestamp: record['@timestamp'],
    'timestamp.us': Number.isNaN(ms) ? 0 : ms * 1000,
    message: record.message,
    level: record.log.level,
    serviceName: record.service.name,
    resource: {},
    attributes,
  };
  if (record.trace?.id) log.traceId = record.trace.id;
  if (record.span?.id) log.spanId = record.span.id;
  return log;
}

export function traceRoutes(ctx: BridgeContext, options: TracesModuleOptions = {}): Route[] {
  const maxTraceSpans = options.max_trace_spans ?? 50_000;
  const maxTraceLogs = options.max_trace_logs ?? 5_000;
  return [
    {
      method: 'GET',
      path: `${API_PREFIX}/traces/:traceId`,
      protected: true,
      handler: async (req) => {
        const { traceId } = validate(traceRequestSchema, req.params);
        const [spans, logs] = await Promise.all([
          spansOfTrace(ctx.es, traceId, maxTraceSpans, req.signal),
          logsOfTrace(ctx.es, traceId, maxTraceLogs, req.signal),
        ]);
        if (spans.spans.length === 0) throw new HttpError(404, `no spans for trace ${traceId}`);
        return {
          status: 200,
          body: traceResponseOf(traceId, spans.spans, logs.logs, spans.truncated || logs.truncated),
        };
      },
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/service-graph`,
      protected: true,
      handler: async (req) => {
        const q = validate(serviceGraphRequestSchema, req.query);
        const { spans, truncated } = await spansInRange(ctx.es, q, q.maxSpans, req.signal);
        const graph = buildServiceGraph(spans);
        const body: ServiceGraphResponse = { ...graph, spanCount: spans.length, truncated };
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/journeys`,
      protected: true,
      handler: async (req) => {
        const q = validate(journeyRequestSchema, req.query);
        const key = { userId: q.userId, sessionId: q.sessionId, from: q.from, to: q.to };
        const spans = await spansOfJourney(ctx.es, key, q.limit * 10, req.signal);
        const logs = await logsOfJourney(ctx.es, key, spans.traceIds, q.limit, req.signal);
        const journeyKey: { userId?: string; sessionId?: string } = {};
        if (q.userId !== undefined) journeyKey.userId = q.userId;
        if (q.sessionId !== undefined) journeyKey.sessionId = q.sessionId;
        const events = userJourney(journeyKey, spans.spans, logs.logs.map(logRecordAsOtlpLog));
        const body: JourneyResponse = {
          events: events.slice(0, q.limit),
          traceIds: [...new Set(events.flatMap((e) => (e.traceId ? [e.traceId] : [])))],
          truncated: spans.truncated || logs.truncated || events.length > q.limit,
        };
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${API_PREFIX}/slow-operations`,
      protected: true,
      handler: async (req) => {
        const q = validate(slowOperationsRequestSchema, req.query);
        const { spans, truncated } = await spansInRange(ctx.es, q, q.maxSpans, req.signal);
        const traces = assembleTraces(spans);
        const ranked = rankSlowOperations(traces, q.limit);
        const body: SlowOperationsResponse = {
          ...ranked,
          hotSpots: rankCodeHotSpots(
            traces.map((t) => analyzeTrace(t, 0)),
            q.limit
          ),
          traceCount: traces.length,
          truncated,
        };
        return { status: 200, body };
      },
    },
  ];
}

export function createTracesModule(ctx: BridgeContext, options: TracesModuleOptions = {}): BridgeModule {
  const sink = ctx.config.sinks.es_logs;
  const indexer = ctx.consuming
    ? new SpansIndexer({
        es: ctx.es,
        kafka: ctx.kafka,
        topic: options.spans_topic ?? SPANS_TOPIC,
        groupId: options.spans_group_id ?? DEFAULT_GROUP,
        index: options.spans_index ?? SPANS_INDEX,
        deadLetterTopic: ctx.config.dead_letter.topic,
        partitions: ctx.config.sources.kafka_logs.partitions,
        fromBeginning: ctx.config.sources.kafka_logs.from_beginning,
        retryInitialMs: sink.retry_initial_ms,
        retryMaxMs: sink.retry_max_ms,
        log: ctx.log,
      })
    : undefined;
  return {
    name: 'traces',
    routes: traceRoutes(ctx, options),
    async start() {
      await indexer?.start();
    },
    async stop() {
      await indexer?.stop();
    },
  };
}

/** Registers spans indexing and the traces API with defaults: `tracesModule` in bridge/modules.ts. */
export const tracesModule: BridgeModuleFactory = (ctx) => createTracesModule(ctx, {});

export function tracesModuleWith(options: TracesModuleOptions): BridgeModuleFactory {
  return (ctx) => createTracesModule(ctx, options);
}
