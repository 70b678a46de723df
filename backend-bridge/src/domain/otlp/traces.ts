import {
  OtlpFieldError,
  decodeAttributes,
  decodeEnum,
  decodeHexId,
  decodeOptionalString,
  decodeScope,
  decodeUnixNanosAsMicros,
  isRecord,
  microsToIso,
  optionalArray,
  summarizeRejections,
} from './jsonFields.js';
import {
  OtlpFormatError,
  type Attributes,
  type RejectedItem,
  type Span,
  type SpanEvent,
  type SpanKind,
  type SpanLink,
  type SpanStatusCode,
  type TracesDecodeResult,
} from './types.js';

const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
const STATUS_CODES: readonly SpanStatusCode[] = ['unset', 'ok', 'error'];

export const UNKNOWN_SERVICE = 'unknown_service';

export function serviceNameOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}

function decodeEvent(raw: unknown, field: string): SpanEvent {
  if (!isRecord(raw)) throw new OtlpFieldError(`${field} must be an object`);
  const micros = decodeUnixNanosAsMicros(raw.timeUnixNano, `${field}.timeUnixNano`);
  if (micros === undefined) throw new OtlpFieldError(`${field}.timeUnixNano is required`);
  return {
    name: decodeOptionalString(raw.name, `${field}.name`) ?? '',
    'timestamp.us': micros,
    attributes: decodeAttributes(raw.attributes, `${field}.attributes`),
  };
}

function decodeLink(raw: unknown, field: string): SpanLink {
  if (!isRecord(raw)) throw new OtlpFieldError(`${field} must be an object`);
  const traceId = decodeHexId(raw.traceId, 32, `${field}.traceId`);
  const spanId = decodeHexId(raw.spanId, 16, `${field}.spanId`);
  if (traceId === undefined || spanId === undefined) throw new OtlpFieldError(`${field} needs traceId and spanId`);
  const link: SpanLink = {
    'trace.id': traceId,
    'span.id': spanId,
    attributes: decodeAttributes(raw.attributes, `${field}.attributes`),
  };
  const traceState = decodeOptionalString(raw.traceState, `${field}.traceState`);
  if (traceState) link['trace.state'] = traceState;
  return link;
}

/** One OTLP JSON span to a flat Span; throws OtlpFieldError naming the first broken field. */
export function decodeSpan(
  raw: unknown,
  resource: Attributes,
  scope: { name: string; version?: string } | undefined
): Span {
  if (!isRecord(raw)) throw new OtlpFieldError('span must be an object');
  const traceId = decodeHexId(raw.traceId, 32, 'traceId');
  if (traceId === undefined) throw new OtlpFieldError('traceId is required');
  const spanId = decodeHexId(raw.spanId, 16, 'spanId');
  if (spanId === undefined) throw new OtlpFieldError('spanId is required');
  // Some exporters write an all-zero parent for roots; treat it as no parent rather than reject the span.
  const parentId =
    raw.parentSpanId === '0000000000000000' ? undefined : decodeHexId(raw.parentSpanId, 16, 'parentSpanId');
  const kind = SPAN_KINDS[decodeEnum(raw.kind, SPAN_KIND_NAMES, 'kind', 0)] ?? 'unspecified';
  const start = decodeUnixNanosAsMicros(raw.startTimeUnixNano, 'startTimeUnixNano');
  if (start === undefined) throw new OtlpFieldError('startTimeUnixNano is required');
  const end = decodeUnixNanosAsMicros(raw.endTimeUnixNano, 'endTimeUnixNano');
  if (end === undefined) throw new OtlpFieldError('endTimeUnixNano is required');
  if (end < start) throw new OtlpFieldError('endTimeUnixNano is before startTimeUnixNano');
  const rawStatus = raw.status;
  if (rawStatus !== undefined && rawStatus !== null && !isRecord(rawStatus)) {
    throw new OtlpFieldError('status must be an object');
  }
  const statusCode =
    STATUS_CODES[decodeEnum(isRecord(rawStatus) ? rawStatus.code : undefined, STATUS_CODE_NAMES, 'status.code', 0)] ??
    'unset';
  const statusMessage = isRecord(rawStatus) ? decodeOptionalString(rawStatus.message, 'status.message') : undefined;
  const span: Span = {
    'trace.id': traceId,
    'span.id': spanId,
    'service.name': serviceNameOf(resource),
    name: decodeOptionalString(raw.name, 'name') ?? '',
    kind,
    '@timestamp': microsToIso(start),
    'start.us': start,
    'end.us': end,
    'duration.us': end - start,
    status: statusMessage ? { code: statusCode, message: statusMessage } : { code: statusCode },
    attributes: decodeAttributes(raw.attributes, 'attributes'),
    resource,
    events: optionalArray(raw.events, 'events').map((e, i) => decodeEvent(e, `events[${i}]`)),
    links: optionalArray(raw.links, 'links').map((l, i) => decodeLink(l, `links[${i}]`)),
  };
  if (parentId !== undefined) span['parent.id'] = parentId;
  const traceState = decodeOptionalString(raw.traceState, 'traceState');
  if (traceState) span['trace.state'] = traceState;
  if (scope) span.scope = scope;
  return span;
}

/**
 * ExportTraceServiceRequest (OTLP/JSON) to spans. Broken spans are rejected one by one with a reason and
 * counted in partialSuccess; a document that is not a request at all throws OtlpFormatError.
 */
export function decodeExportTraceServiceRequest(document: unknown): TracesDecodeResult {
  if (!isRecord(document)) throw new OtlpFormatError('ExportTraceServiceRequest must be a JSON object');
  const resourceSpans = document.resourceSpans ?? [];
  if (!Array.isArray(resourceSpans)) throw new OtlpFormatError('resourceSpans must be an array');
  const spans: Span[] = [];
  const rejected: RejectedItem[] = [];
  resourceSpans.forEach((rs: unknown, r) => {
    const rsPath = `resourceSpans[${r}]`;
    if (!isRecord(rs)) {
      rejected.push({ path: rsPath, reason: 'must be an object' });
      return;
    }
    let resource: Attributes;
    let scopeSpans: unknown[];
    try {
      resource = decodeAttributes(isRecord(rs.resource) ? rs.resource.attributes : undefined, 'resource.attributes');
      scopeSpans = optionalArray(rs.scopeSpans, 'scopeSpans');
    } catch (error) {
      // A broken resource takes its spans with it: count each so the partial-success number is right.
      const reason = error instanceof Error ? error.message : String(error);
      const spanPaths = spanPathsUnder(rs);
      spanPaths.forEach((path) => rejected.push({ path: `${rsPath}.${path}`, reason }));
      if (spanPaths.length === 0) rejected.push({ path: rsPath, reason });
      return;
    }
    scopeSpans.forEach((ss: unknown, s) => {
      const ssPath = `${rsPath}.scopeSpans[${s}]`;
      if (!isRecord(ss)) {
        rejected.push({ path: ssPath, reason: 'must be an object' });
        return;
      }
      const scope = decodeScope(ss.scope);
      if (ss.spans !== undefined && ss.spans !== null && !Array.isArray(ss.spans)) {
        rejected.push({ path: `${ssPath}.spans`, reason: 'must be an array' });
        return;
      }
      const list: unknown[] = Array.isArray(ss.spans) ? ss.spans : [];
      list.forEach((raw, i) => {
        try {
          spans.push(decodeSpan(raw, resource, scope));
        } catch (error) {
          if (!(error instanceof OtlpFieldError)) throw error;
          const spanId = isRecord(raw) && typeof raw.spanId === 'string' ? ` (spanId ${raw.spanId.slice(0, 32)})` : '';
          rejected.push({ path: `${ssPath}.spans[${i}]${spanId}`, reason: error.message });
        }
      });
    });
  });
  const result: TracesDecodeResult = { spans, rejected };
  if (rejected.length > 0) {
    result.partialSuccess = { rejectedSpans: rejected.length, errorMessage: summarizeRejections(rejected, 'spans') };
  }
  return result;
}

function spanPathsUnder(rs: Record<string, unknown>): string[] {
  const paths: string[] = [];
  if (!Array.isArray(rs.scopeSpans)) return paths;
  rs.scopeSpans.forEach((ss: unknown, s) => {
    if (isRecord(ss) && Array.isArray(ss.spans)) ss.spans.forEach((_, i) => paths.push(`scopeSpans[${s}].spans[${i}]`));
  });
  return paths;
}
