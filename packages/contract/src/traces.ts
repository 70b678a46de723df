import { z } from 'zod';
import type { LogRecord } from './records.js';

/** OTLP/HTTP paths (the OTLP spec's, not under API_PREFIX); the receiver listens on the bridge's API port. */
export const OTLP_TRACES_PATH = '/v1/traces';
export const OTLP_LOGS_PATH = '/v1/logs';

/** Kafka topic of spans, keyed by trace ID; the OTLP receiver writes there and the spans indexer reads it. */
export const SPANS_TOPIC = 'cairn.spans';
/** Write alias (or plain index) spans are indexed into; queries read `cairn-spans*`. */
export const SPANS_INDEX = 'cairn-spans';

/** OTLP/JSON ExportTraceServiceResponse / ExportLogsServiceResponse; `partialSuccess` only when something was refused. */
export interface OtlpExportResponse {
  partialSuccess?: { rejectedSpans?: number; rejectedLogRecords?: number; errorMessage: string };
}

const isoOrRelative = z
  .string()
  .min(1)
  .describe('ISO-8601 timestamp, epoch milliseconds, or a relative time such as now-1h');

export const traceIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, 'trace ID must be 32 hex characters')
  .transform((s) => s.toLowerCase());

/** GET /api/v1/traces/:traceId */
export const traceRequestSchema = z.object({ traceId: traceIdSchema });
export type TraceRequest = z.infer<typeof traceRequestSchema>;

export type TraceSpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface TraceSpanEvent {
  name: string;
  'timestamp.us': number;
  attributes: Record<string, unknown>;
}

/** One span of an assembled trace, with its place in the tree and its timing analysis. */
export interface TraceSpanView {
  spanId: string;
  parentId?: string;
  serviceName: string;
  name: string;
  kind: TraceSpanKind;
  /** Clock-skew corrected start and end, microseconds since the epoch. */
  startUs: number;
  endUs: number;
  durationMs: number;
  depth: number;
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: TraceSpanEvent[];
  links: Array<{ 'trace.id': string; 'span.id': string; attributes: Record<string, unknown> }>;
  selfTimeMs: number;
  /** Time this span alone held up the root. */
  criticalMs: number;
  /** The span names a parent that is not in the trace. */
  missingParent: boolean;
  /** Producer/consumer hop, follows-from link, or started after its parent ended. */
  async: boolean;
  skewUs: number;
  /** Indexes into TraceResponse.logs of the logs written in this span, oldest first. */
  logIndexes: number[];
}

export interface TraceBottleneck {
  spanId: string;
  serviceName: string;
  name: string;
  criticalMs: number;
  selfMs: number;
  share: number;
}

export interface TraceErrorOrigin {
  spanId: string;
  serviceName: string;
  name: string;
  depth: number;
  statusMessage?: string;
  exception?: { type?: string; message?: string; stacktrace?: string; 'timestamp.us': number };
  /** Span IDs from the origin up to its root. */
  chain: string[];
}

export interface TraceResponse {
  traceId: string;
  startTime: string;
  durationMs: number;
  services: string[];
  spanCount: number;
  /** Root span IDs: the true root first, then orphans whose parent is missing. */
  roots: string[];
  /** Preorder (parents before children). */
  spans: TraceSpanView[];
  /** Span IDs on the critical path, in the order they become critical. */
  criticalPath: string[];
  selfTimeMs: Record<string, number>;
  bottlenecks: TraceBottleneck[];
  errorSpanIds: string[];
  errorOrigin: TraceErrorOrigin | null;
  /** Logs carrying this trace ID, oldest first. */
  logs: LogRecord[];
  /** More spans or logs existed than one answer holds. */
  truncated: boolean;
}

const timeRange = {
  from: isoOrRelative.default('now-1h'),
  to: isoOrRelative.default('now'),
};

/** GET /api/v1/service-graph */
export const serviceGraphRequestSchema = z.object({
  ...timeRange,
  service: z.string().max(256).optional(),
  maxSpans: z.coerce.number().int().min(1).max(100_000).default(20_000),
});
export type ServiceGraphRequest = z.infer<typeof serviceGraphRequestSchema>;

export interface ServiceGraphEdgeView {
  caller: string;
  callee: string;
  /** The callee is not instrumented (named from peer.service, db.system or server.address). */
  virtualCallee: boolean;
  calls: number;
  errors: number;
  errorRate: number;
  ratePerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

export interface ServiceGraphResponse {
  services: string[];
  edges: ServiceGraphEdgeView[];
  windowSeconds: number;
  spanCount: number;
  /** The range held more spans than maxSpans; the newest were used. */
  truncated: boolean;
}

/** GET /api/v1/journeys: a user's or session's events across services, oldest first. */
export const journeyRequestSchema = z
  .object({
    userId: z.string().min(1).max(256).optional(),
    sessionId: z.string().min(1).max(256).optional(),
    ...timeRange,
    from: isoOrRelative.default('now-24h'),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .refine((r) => r.userId !== undefined || r.sessionId !== undefined, {
    message: 'userId or sessionId is required',
    path: ['userId'],
  });
export type JourneyRequest = z.infer<typeof journeyRequestSchema>;

export interface JourneyEventView {
  'timestamp.us': number;
  timestamp: string;
  type: 'span' | 'log';
  service: string;
  text: string;
  traceId?: string;
  spanId?: string;
  level?: string;
  error: boolean;
  matchedBy: 'attribute' | 'trace';
}

export interface JourneyResponse {
  events: JourneyEventView[];
  traceIds: string[];
  truncated: boolean;
}

/** GET /api/v1/slow-operations: endpoints and DB statements ranked by their share of their callers' p95. */
export const slowOperationsRequestSchema = z.object({
  ...timeRange,
  service: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  maxSpans: z.coerce.number().int().min(1).max(100_000).default(20_000),
});
export type SlowOperationsRequest = z.infer<typeof slowOperationsRequestSchema>;

/** An endpoint or DB statement, ranked by how much of its callers' slow tail it accounts for. */
export interface SlowOperationView {
  kind: 'endpoint' | 'db';
  /** `service name` for endpoints; the normalised statement for DB operations. */
  operation: string;
  service: string;
  /** The endpoint that called it (nearest enclosing server/consumer span or root). */
  caller: string;
  callerP95Ms: number;
  /** Caller calls at or above the caller's p95 that were looked at. */
  tailCalls: number;
  /** Mean critical-path time this operation added to each tail call of the caller. */
  contributionMs: number;
  /** contributionMs / callerP95Ms. */
  shareOfCallerP95: number;
  calls: number;
  p95Ms: number;
}

/** A function (code.function / code.filepath attributes) ranked by the time it held requests up. */
export interface CodeHotSpotView {
  function: string;
  filepath?: string;
  lineno?: number;
  service: string;
  calls: number;
  /** Summed time on the critical path of its traces. */
  criticalMs: number;
  /** Summed self time (duration minus children). */
  selfMs: number;
  p95Ms: number;
}

export interface SlowOperationsResponse {
  endpoints: SlowOperationView[];
  statements: SlowOperationView[];
  hotSpots: CodeHotSpotView[];
  traceCount: number;
  truncated: boolean;
}
