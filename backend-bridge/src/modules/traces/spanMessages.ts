import { decodeExportTraceServiceRequest, decodeSpan, OtlpFieldError } from '../../domain/otlp/index.js';
import { isRecord } from '../../domain/otlp/jsonFields.js';
import { OtlpFormatError, type Span } from '../../domain/otlp/types.js';

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** What one cairn.spans record holds: spans to index, or why it cannot be indexed. */
export type SpanMessage = { spans: Span[]; rejected?: string } | { error: string };

function isDecodedSpan(value: Record<string, unknown>): boolean {
  return (
    typeof value['trace.id'] === 'string' &&
    HEX32.test(value['trace.id']) &&
    typeof value['span.id'] === 'string' &&
    HEX16.test(value['span.id']) &&
    typeof value['start.us'] === 'number' &&
    typeof value['end.us'] === 'number' &&
    typeof value['service.name'] === 'string'
  );
}

/**
 * A cairn.spans record: a span as the OTLP receiver writes it, an OTLP/JSON ExportTraceServiceRequest
 * (as the collector's Kafka exporter writes with encoding otlp_json), or one bare OTLP/JSON span.
 */
export function parseSpanMessage(value: Buffer | null): SpanMessage {
  if (!value || value.length === 0) return { error: 'empty record' };
  let document: unknown;
  try {
    document = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { error: `not JSON: ${(error as Error).message}` };
  }
  if (!isRecord(document)) return { error: 'not a JSON object' };
  if (isDecodedSpan(document)) return { spans: [document as unknown as Span] };
  if ('resourceSpans' in document) {
    try {
      const result = decodeExportTraceServiceRequest(document);
      if (result.spans.length === 0 && result.partialSuccess) return { error: result.partialSuccess.errorMessage };
      return result.partialSuccess
        ? { spans: result.spans, rejected: result.partialSuccess.errorMessage }
        : { spans: result.spans };
    } catch (error) {
      if (error instanceof OtlpFormatError) return { error: error.message };
      throw error;
    }
  }
  if ('spanId' in document && 'traceId' in document) {
    try {
      return { spans: [decodeSpan(document, {}, undefined)] };
    } catch (error) {
      if (error instanceof OtlpFieldError) return { error: error.message };
      throw error;
    }
  }
  return { error: 'neither a span nor an OTLP ExportTraceServiceRequest' };
}
