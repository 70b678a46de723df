/**
 * A small protobuf wire-format reader for OTLP's ExportTraceServiceRequest and ExportLogsServiceRequest.
 * It turns the binary message into the plain OTLP/JSON shape (hex IDs, decimal nanoseconds, integer enums),
 * so the JSON decoders do all validation once for both encodings. Field numbers follow
 * opentelemetry-proto (common/v1, resource/v1, trace/v1, logs/v1, collector/*).
 */
import { OtlpFormatError } from './types.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;
const MAX_MESSAGE_DEPTH = 64;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A cursor over one message's bytes. */
class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpFormatError('truncated varint');
      const byte = this.buf[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result & 0xffffffffffffffffn;
      shift += 7n;
    }
    throw new OtlpFormatError('varint longer than 10 bytes');
  }

  /** Up to 7 bytes (49 bits) in plain number arithmetic; undefined (cursor unmoved) when longer. */
  private numberVarint(): number | undefined {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new OtlpFormatError('truncated varint');
      const byte = this.buf[this.pos++] as number;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    this.pos = start;
    return undefined;
  }

  /** Varints that must fit a small number (tags, lengths). */
  smallVarint(): number {
    const value = this.numberVarint() ?? Number(this.varint());
    if (value > 0x7fffffff) throw new OtlpFormatError('length or tag out of range');
    return value;
  }

  /** int32 enums travel as 64-bit varints; negative values take ten bytes (two's complement). */
  int32(): number {
    return this.numberVarint() ?? Number(BigInt.asIntN(32, this.varint()));
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new OtlpFormatError('truncated fixed64');
    const value = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new OtlpFormatError('truncated double');
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  skipFixed32(): void {
    if (this.pos + 4 > this.end) throw new OtlpFormatError('truncated fixed32');
    this.pos += 4;
  }

  /** A length-delimited field: returns a reader over its bytes and moves past them. */
  sub(): Reader {
    const length = this.smallVarint();
    const start = this.pos;
    if (start + length > this.end) throw new OtlpFormatError('length-delimited field runs past its message');
    this.pos = start + length;
    return new Reader(this.buf, start, start + length);
  }

  bytes(): Buffer {
    const r = this.sub();
    return this.buf.subarray(r.pos, r.end);
  }

  string(): string {
    const r = this.sub();
    return this.buf.toString('utf8', r.pos, r.end);
  }

  hex(): string {
    const r = this.sub();
    return this.buf.toString('hex', r.pos, r.end);
  }

  skip(wireType: number, field: number, depth = 0): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) throw new OtlpFormatError('truncated fixed64');
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.sub();
        return;
      case WIRE_FIXED32:
        this.skipFixed32();
        return;
      case WIRE_START_GROUP: {
        if (depth > MAX_MESSAGE_DEPTH) throw new OtlpFormatError('groups nest too deep');
        for (;;) {
          const { field: f, wireType: w } = this.tag();
          if (w === WIRE_END_GROUP) {
            if (f !== field) throw new OtlpFormatError('mismatched end group');
            return;
          }
          this.skip(w, f, depth + 1);
        }
      }
      default:
        throw new OtlpFormatError(`invalid wire type ${wireType}`);
    }
  }

  tag(): { field: number; wireType: number } {
    const tag = this.smallVarint();
    const field = tag >>> 3;
    if (field === 0) throw new OtlpFormatError('field number 0');
    return { field, wireType: tag & 7 };
  }
}

function expectWire(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new OtlpFormatError(`${what} has wire type ${actual}, expected ${expected}`);
}

/** Reads every field of a message, handing each to `onField`; unknown fields are skipped as the spec says. */
function readMessage(r: Reader, onField: (field: number, wireType: number) => boolean): void {
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (!onField(field, wireType)) r.skip(wireType, field);
  }
}

function readAnyValue(r: Reader, depth: number): JsonObject {
  if (depth > MAX_MESSAGE_DEPTH) throw new OtlpFormatError('AnyValue nests too deep');
  let value: JsonObject = {};
  readMessage(r, (field, wire) => {
    switch (field) {
      case 1:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'AnyValue.string_value');
        value = { stringValue: r.string() };
        return true;
      case 2:
        expectWire(wire, WIRE_VARINT, 'AnyValue.bool_value');
        value = { boolValue: r.varint() !== 0n };
        return true;
      case 3:
        expectWire(wire, WIRE_VARINT, 'AnyValue.int_value');
        value = { intValue: BigInt.asIntN(64, r.varint()).toString() };
        return true;
      case 4:
        expectWire(wire, WIRE_FIXED64, 'AnyValue.double_value');
        value = { doubleValue: doubleAsJson(r.double()) };
        return true;
      case 5: {
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'AnyValue.array_value');
        const values: Json[] = [];
        const sub = r.sub();
        readMessage(sub, (f, w) => {
          if (f !== 1) return false;
          expectWire(w, WIRE_LENGTH_DELIMITED, 'ArrayValue.values');
          values.push(readAnyValue(sub.sub(), depth + 1));
          return true;
        });
        value = { arrayValue: { values } };
        return true;
      }
      case 6: {
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'AnyValue.kvlist_value');
        const values: Json[] = [];
        const sub = r.sub();
        readMessage(sub, (f, w) => {
          if (f !== 1) return false;
          expectWire(w, WIRE_LENGTH_DELIMITED, 'KeyValueList.values');
          values.push(readKeyValue(sub.sub(), depth + 1));
          return true;
        });
        value = { kvlistValue: { values } };
        return true;
      }
      case 7:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'AnyValue.bytes_value');
        value = { bytesValue: r.bytes().toString('base64') };
        return true;
      default:
        return false;
    }
  });
  return value;
}

function doubleAsJson(value: number): Json {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

function readKeyValue(r: Reader, depth = 0): JsonObject {
  const kv: JsonObject = { key: '' };
  readMessage(r, (field, wire) => {
    if (field === 1) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, 'KeyValue.key');
      kv.key = r.string();
      return true;
    }
    if (field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, 'KeyValue.value');
      kv.value = readAnyValue(r.sub(), depth + 1);
      return true;
    }
    return false;
  });
  return kv;
}

/** Shared by Resource (attributes = 1) and InstrumentationScope (name 1, version 2, attributes 3). */
function readResource(r: Reader): JsonObject {
  const attributes: Json[] = [];
  readMessage(r, (field, wire) => {
    if (field !== 1) return false;
    expectWire(wire, WIRE_LENGTH_DELIMITED, 'Resource.attributes');
    attributes.push(readKeyValue(r.sub()));
    return true;
  });
  return { attributes };
}

function readScope(r: Reader): JsonObject {
  const scope: JsonObject = {};
  const attributes: Json[] = [];
  readMessage(r, (field, wire) => {
    if (field === 1 || field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, 'InstrumentationScope.name/version');
      scope[field === 1 ? 'name' : 'version'] = r.string();
      return true;
    }
    if (field === 3) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, 'InstrumentationScope.attributes');
      attributes.push(readKeyValue(r.sub()));
      return true;
    }
    return false;
  });
  scope.attributes = attributes;
  return scope;
}

function readEvent(r: Reader): JsonObject {
  const event: JsonObject = {};
  const attributes: Json[] = [];
  readMessage(r, (field, wire) => {
    switch (field) {
      case 1:
        expectWire(wire, WIRE_FIXED64, 'Span.Event.time_unix_nano');
        event.timeUnixNano = r.fixed64().toString();
        return true;
      case 2:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.Event.name');
        event.name = r.string();
        return true;
      case 3:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.Event.attributes');
        attributes.push(readKeyValue(r.sub()));
        return true;
      default:
        return false;
    }
  });
  event.attributes = attributes;
  return event;
}

function readLink(r: Reader): JsonObject {
  const link: JsonObject = {};
  const attributes: Json[] = [];
  readMessage(r, (field, wire) => {
    switch (field) {
      case 1:
      case 2:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.Link.trace_id/span_id');
        link[field === 1 ? 'traceId' : 'spanId'] = r.hex();
        return true;
      case 3:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.Link.trace_state');
        link.traceState = r.string();
        return true;
      case 4:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.Link.attributes');
        attributes.push(readKeyValue(r.sub()));
        return true;
      default:
        return false;
    }
  });
  link.attributes = attributes;
  return link;
}

function readStatus(r: Reader): JsonObject {
  const status: JsonObject = {};
  readMessage(r, (field, wire) => {
    if (field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, 'Status.message');
      status.message = r.string();
      return true;
    }
    if (field === 3) {
      expectWire(wire, WIRE_VARINT, 'Status.code');
      status.code = r.int32();
      return true;
    }
    return false;
  });
  return status;
}

function readSpan(r: Reader): JsonObject {
  // Absent bytes fields stay '' so the JSON decoder reports "traceId is required" and the like.
  const span: JsonObject = { traceId: '', spanId: '' };
  const attributes: Json[] = [];
  const events: Json[] = [];
  const links: Json[] = [];
  readMessage(r, (field, wire) => {
    switch (field) {
      case 1:
      case 2:
      case 4:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span id');
        span[field === 1 ? 'traceId' : field === 2 ? 'spanId' : 'parentSpanId'] = r.hex();
        return true;
      case 3:
      case 5:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.trace_state/name');
        span[field === 3 ? 'traceState' : 'name'] = r.string();
        return true;
      case 6:
        expectWire(wire, WIRE_VARINT, 'Span.kind');
        span.kind = r.int32();
        return true;
      case 7:
      case 8:
        expectWire(wire, WIRE_FIXED64, 'Span start/end time');
        span[field === 7 ? 'startTimeUnixNano' : 'endTimeUnixNano'] = r.fixed64().toString();
        return true;
      case 9:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.attributes');
        attributes.push(readKeyValue(r.sub()));
        return true;
      case 11:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.events');
        events.push(readEvent(r.sub()));
        return true;
      case 13:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.links');
        links.push(readLink(r.sub()));
        return true;
      case 15:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'Span.status');
        span.status = readStatus(r.sub());
        return true;
      default:
        return false;
    }
  });
  span.attributes = attributes;
  span.events = events;
  span.links = links;
  return span;
}

function readLogRecord(r: Reader): JsonObject {
  const log: JsonObject = {};
  const attributes: Json[] = [];
  readMessage(r, (field, wire) => {
    switch (field) {
      case 1:
      case 11:
        expectWire(wire, WIRE_FIXED64, 'LogRecord time');
        log[field === 1 ? 'timeUnixNano' : 'observedTimeUnixNano'] = r.fixed64().toString();
        return true;
      case 2:
        expectWire(wire, WIRE_VARINT, 'LogRecord.severity_number');
        log.severityNumber = r.int32();
        return true;
      case 3:
      case 12:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'LogRecord.severity_text/event_name');
        log[field === 3 ? 'severityText' : 'eventName'] = r.string();
        return true;
      case 5:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'LogRecord.body');
        log.body = readAnyValue(r.sub(), 0);
        return true;
      case 6:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'LogRecord.attributes');
        attributes.push(readKeyValue(r.sub()));
        return true;
      case 9:
      case 10:
        expectWire(wire, WIRE_LENGTH_DELIMITED, 'LogRecord trace_id/span_id');
        log[field === 9 ? 'traceId' : 'spanId'] = r.hex();
        return true;
      default:
        return false;
    }
  });
  log.attributes = attributes;
  return log;
}

/** ResourceSpans / ResourceLogs: resource = 1, scope lists = 2, schema_url = 3. */
function readResourceGroup(
  r: Reader,
  listKey: 'scopeSpans' | 'scopeLogs',
  itemKey: 'spans' | 'logRecords',
  readItem: (r: Reader) => JsonObject
): JsonObject {
  const group: JsonObject = {};
  const scopes: Json[] = [];
  readMessage(r, (field, wire) => {
    if (field === 1) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, 'resource');
      group.resource = readResource(r.sub());
      return true;
    }
    if (field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, listKey);
      const sub = r.sub();
      const scope: JsonObject = {};
      const items: Json[] = [];
      readMessage(sub, (f, w) => {
        if (f === 1) {
          expectWire(w, WIRE_LENGTH_DELIMITED, 'scope');
          scope.scope = readScope(sub.sub());
          return true;
        }
        if (f === 2) {
          expectWire(w, WIRE_LENGTH_DELIMITED, itemKey);
          items.push(readItem(sub.sub()));
          return true;
        }
        if (f === 3) {
          expectWire(w, WIRE_LENGTH_DELIMITED, 'schema_url');
          scope.schemaUrl = sub.string();
          return true;
        }
        return false;
      });
      scope[itemKey] = items;
      scopes.push(scope);
      return true;
    }
    if (field === 3) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, 'schema_url');
      group.schemaUrl = r.string();
      return true;
    }
    return false;
  });
  group[listKey] = scopes;
  return group;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readRequest(
  body: Uint8Array,
  topKey: 'resourceSpans' | 'resourceLogs',
  read: (r: Reader) => JsonObject
): JsonObject {
  const r = new Reader(asBuffer(body), 0, body.length);
  const groups: Json[] = [];
  readMessage(r, (field, wire) => {
    if (field !== 1) return false;
    expectWire(wire, WIRE_LENGTH_DELIMITED, topKey);
    groups.push(read(r.sub()));
    return true;
  });
  return { [topKey]: groups };
}

/** Binary ExportTraceServiceRequest to its OTLP/JSON shape; throws OtlpFormatError when the bytes are not one. */
export function protobufTraceRequestToJson(body: Uint8Array): JsonObject {
  return readRequest(body, 'resourceSpans', (r) => readResourceGroup(r, 'scopeSpans', 'spans', readSpan));
}

/** Binary ExportLogsServiceRequest to its OTLP/JSON shape. */
export function protobufLogsRequestToJson(body: Uint8Array): JsonObject {
  return readRequest(body, 'resourceLogs', (r) => readResourceGroup(r, 'scopeLogs', 'logRecords', readLogRecord));
}

function writeVarint(out: number[], value: bigint): void {
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

/**
 * ExportTraceServiceResponse / ExportLogsServiceResponse: both are `partial_success = 1` holding
 * `rejected_* = 1` (int64) and `error_message = 2`; an empty message means full success.
 */
export function encodeExportResponse(partialSuccess?: { rejected: number; errorMessage: string }): Buffer {
  if (!partialSuccess) return Buffer.alloc(0);
  const inner: number[] = [];
  if (partialSuccess.rejected !== 0) {
    inner.push(0x08);
    writeVarint(inner, BigInt(partialSuccess.rejected));
  }
  const message = Buffer.from(partialSuccess.errorMessage, 'utf8');
  if (message.length > 0) {
    inner.push(0x12);
    writeVarint(inner, BigInt(message.length));
  }
  const head: number[] = [0x0a];
  writeVarint(head, BigInt(inner.length + message.length));
  return Buffer.concat([Buffer.from(head), Buffer.from(inner), message]);
}

/** Reads back a response written by encodeExportResponse (for tests and clients). */
export function decodeExportResponse(body: Uint8Array): { rejected: number; errorMessage: string } | undefined {
  const r = new Reader(asBuffer(body), 0, body.length);
  let result: { rejected: number; errorMessage: string } | undefined;
  readMessage(r, (field, wire) => {
    if (field !== 1 || wire !== WIRE_LENGTH_DELIMITED) return false;
    const sub = r.sub();
    const partial = { rejected: 0, errorMessage: '' };
    readMessage(sub, (f, w) => {
      if (f === 1 && w === WIRE_VARINT) partial.rejected = Number(BigInt.asIntN(64, sub.varint()));
      else if (f === 2 && w === WIRE_LENGTH_DELIMITED) partial.errorMessage = sub.string();
      else return false;
      return true;
    });
    result = partial;
    return true;
  });
  return result;
}
