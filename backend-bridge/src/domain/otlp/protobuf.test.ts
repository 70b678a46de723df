import { describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeExportLogsServiceRequest, decodeExportTraceServiceRequest } from './index.js';
import {
  decodeExportResponse,
  encodeExportResponse,
  protobufLogsRequestToJson,
  protobufTraceRequestToJson,
} from './protobuf.js';
import { OtlpFormatError } from './types.js';

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited field. */
function ld(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

function fixed64(field: number, value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return Buffer.concat([varint((field << 3) | 1), b]);
}

function rawSpan(kind: number, id: number): Buffer {
  return Buffer.concat([
    ld(1, Buffer.alloc(16, 7)),
    ld(2, Buffer.alloc(8, id)),
    ld(5, Buffer.from('op')),
    varint(6 << 3),
    varint(kind),
    fixed64(7, 1_700_000_000_000_000_000n),
    fixed64(8, 1_700_000_000_500_000_000n),
  ]);
}

function sdkSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'host.name': 'h1' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('unit', '1.2.3');
  const root = tracer.startSpan('GET /cart', { kind: SpanKind.SERVER, attributes: { 'http.route': '/cart', n: 42 } });
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'SELECT cart',
    { kind: SpanKind.CLIENT, attributes: { ratio: 0.5, ok: true, tags: ['a', 'b'] } },
    ctx
  );
  child.addEvent('exception', { 'exception.type': 'Boom', 'exception.message': 'it broke' });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'db down' });
  child.end();
  root.end();
  return exporter.getFinishedSpans();
}

/** A LogRecord written field by field (the installed SDK and serializer versions disagree on log internals). */
function rawLogsRequest(): Buffer {
  const anyString = (text: string) => ld(1, Buffer.from(text));
  const keyValue = (key: string, value: Buffer) => Buffer.concat([ld(1, Buffer.from(key)), ld(2, value)]);
  const log = Buffer.concat([
    fixed64(1, 1_700_000_000_123_456_789n),
    varint(2 << 3),
    varint(17),
    ld(3, Buffer.from('ERROR')),
    ld(5, anyString('payment failed')),
    ld(6, keyValue('user.id', anyString('u-1'))),
    ld(6, keyValue('attempt', Buffer.concat([varint(3 << 3), varint(3)]))),
    ld(9, Buffer.alloc(16, 0xab)),
    ld(10, Buffer.alloc(8, 0xcd)),
    Buffer.from([0x45, 1, 0, 0, 0]), // flags (fixed32 field 8), skipped
  ]);
  const resource = ld(1, keyValue('service.name', anyString('checkout')));
  const scopeLogs = Buffer.concat([ld(1, ld(1, Buffer.from('unit'))), ld(2, log)]);
  return ld(1, Buffer.concat([ld(1, resource), ld(2, scopeLogs)]));
}

describe('OTLP protobuf reader', () => {
  it('decodes SDK-encoded trace requests to the same spans as the JSON encoding', () => {
    const spans = sdkSpans();
    const proto = ProtobufTraceSerializer.serializeRequest(spans);
    const json = JsonTraceSerializer.serializeRequest(spans);
    if (!proto || !json) throw new Error('serializer returned nothing');
    const fromProto = decodeExportTraceServiceRequest(protobufTraceRequestToJson(proto));
    const fromJson = decodeExportTraceServiceRequest(JSON.parse(Buffer.from(json).toString('utf8')));
    expect(fromProto.rejected).toEqual([]);
    expect(fromProto.spans).toHaveLength(2);
    expect(fromProto.spans).toEqual(fromJson.spans);
    const child = fromProto.spans.find((s) => s.name === 'SELECT cart');
    expect(child?.kind).toBe('client');
    expect(child?.status).toEqual({ code: 'error', message: 'db down' });
    expect(child?.attributes).toEqual({ ratio: 0.5, ok: true, tags: ['a', 'b'] });
    expect(child?.events[0]?.attributes['exception.type']).toBe('Boom');
    expect(child?.scope).toEqual({ name: 'unit', version: '1.2.3' });
    expect(child?.['parent.id']).toBe(fromProto.spans.find((s) => s.name === 'GET /cart')?.['span.id']);
    expect(child?.resource['service.name']).toBe('checkout');
  });

  it('decodes log requests', () => {
    const fromProto = decodeExportLogsServiceRequest(protobufLogsRequestToJson(rawLogsRequest()));
    expect(fromProto.rejected).toEqual([]);
    expect(fromProto.logs[0]).toMatchObject({
      message: 'payment failed',
      level: 'error',
      severityNumber: 17,
      serviceName: 'checkout',
      traceId: 'ab'.repeat(16),
      spanId: 'cd'.repeat(8),
      attributes: { 'user.id': 'u-1', attempt: 3 },
      'timestamp.us': 1_700_000_000_123_456,
      scope: { name: 'unit' },
    });
  });

  it('rejects wrong-length IDs and bad enums per span, and refuses bytes that are not protobuf', () => {
    const spans = sdkSpans();
    const proto = ProtobufTraceSerializer.serializeRequest(spans);
    if (!proto) throw new Error('no bytes');
    const doc = protobufTraceRequestToJson(proto) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
    };
    const list = doc.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    (list[0] as Record<string, unknown>).traceId = 'abcd';
    const result = decodeExportTraceServiceRequest(doc);
    expect(result.spans).toHaveLength(1);
    expect(result.partialSuccess?.rejectedSpans).toBe(1);
    expect(() => protobufTraceRequestToJson(Buffer.from([0x0a, 0x50, 0x01]))).toThrow(OtlpFormatError);
    expect(() => protobufTraceRequestToJson(Buffer.from([0x0f]))).toThrow(OtlpFormatError);
    // An unknown enum value (kind 9) rejects that span only; a good span beside it is kept.
    const request = ld(1, ld(2, Buffer.concat([ld(2, rawSpan(9, 1)), ld(2, rawSpan(2, 2))])));
    const mixed = decodeExportTraceServiceRequest(protobufTraceRequestToJson(request));
    expect(mixed.spans.map((s) => s.kind)).toEqual(['server']);
    expect(mixed.rejected[0]?.reason).toMatch(/kind/);
  });

  it('encodes partial success the way the SDK reads it', () => {
    const bytes = encodeExportResponse({ rejected: 3, errorMessage: 'rejected 3 spans: x' });
    expect(decodeExportResponse(bytes)).toEqual({ rejected: 3, errorMessage: 'rejected 3 spans: x' });
    const sdk = ProtobufTraceSerializer.deserializeResponse(bytes);
    expect(Number(sdk.partialSuccess?.rejectedSpans)).toBe(3);
    expect(sdk.partialSuccess?.errorMessage).toBe('rejected 3 spans: x');
    expect(encodeExportResponse()).toHaveLength(0);
  });
});
