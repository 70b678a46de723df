/** A decoded OTLP AnyValue: bytes stay base64 text, int64 beyond 2^53 stays a decimal string. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type SpanStatusCode = 'unset' | 'ok' | 'error';

export interface SpanStatus {
  code: SpanStatusCode;
  message?: string;
}

export interface SpanEvent {
  name: string;
  'timestamp.us': number;
  attributes: Attributes;
}

export interface SpanLink {
  'trace.id': string;
  'span.id': string;
  'trace.state'?: string;
  attributes: Attributes;
}

/** One span, flat, with ECS/OTel field names so it indexes into cairn-spans as is; times in microseconds. */
export interface Span {
  'trace.id': string;
  'span.id': string;
  'parent.id'?: string;
  'trace.state'?: string;
  'service.name': string;
  name: string;
  kind: SpanKind;
  '@timestamp': string;
  'start.us': number;
  'end.us': number;
  'duration.us': number;
  status: SpanStatus;
  attributes: Attributes;
  resource: Attributes;
  scope?: { name: string; version?: string };
  events: SpanEvent[];
  links: SpanLink[];
}

/** A plain log from ExportLogsServiceRequest; the bridge maps it into its log record. */
export interface OtlpLog {
  timestamp: string;
  'timestamp.us': number;
  observedTimestamp?: string;
  message: string;
  level?: string;
  severityNumber?: number;
  severityText?: string;
  serviceName: string;
  traceId?: string;
  spanId?: string;
  resource: Attributes;
  attributes: Attributes;
  scope?: { name: string; version?: string };
}

/** An item the decoder refused, with where it was and why (for OTLP partial success). */
export interface RejectedItem {
  path: string;
  reason: string;
}

export interface TracesDecodeResult {
  spans: Span[];
  rejected: RejectedItem[];
  /** ExportTracePartialSuccess; absent when everything was accepted. */
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

export interface LogsDecodeResult {
  logs: OtlpLog[];
  rejected: RejectedItem[];
  partialSuccess?: { rejectedLogRecords: number; errorMessage: string };
}

/** The request as a whole is not an OTLP document (answer 400, nothing kept). */
export class OtlpFormatError extends Error {}
