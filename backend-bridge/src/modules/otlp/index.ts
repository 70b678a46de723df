/**
 * OTLP/HTTP receiver: POST /v1/traces and /v1/logs in JSON or protobuf. Decoded records go to Kafka first
 * (spans to cairn.spans keyed by trace ID, logs to the logs topic keyed by service with
 * `cairn-format: otlp`); the answer is sent only after Kafka acknowledged them.
 */
import { OTLP_LOGS_PATH, OTLP_TRACES_PATH, SPANS_TOPIC, type OtlpExportResponse } from '@cairn/contract';
import { HttpError, type HttpRequest, type HttpResponse, type Route } from '../../adapters/http/server.js';
import { DurableProducer, type OutgoingMessage } from '../../adapters/kafka/index.js';
import type { BridgeContext, BridgeModule, BridgeModuleFactory } from '../../bridge/module.js';
import { decodeExportLogsServiceRequest, decodeExportTraceServiceRequest } from '../../domain/otlp/index.js';
import {
  encodeExportResponse,
  protobufLogsRequestToJson,
  protobufTraceRequestToJson,
} from '../../domain/otlp/protobuf.js';
import { OtlpFormatError } from '../../domain/otlp/types.js';
import { otlpLogToEcsJson } from './logRecord.js';

export interface OtlpReceiverOptions {
  /** Largest (decompressed) request body accepted; the HTTP layer's own cap (16 MiB) applies first. */
  max_request_body_bytes?: number;
  /** Topic spans are written to (default cairn.spans). */
  spans_topic?: string;
  /** Topic logs are written to (default: the bridge's logs topic). */
  logs_topic?: string;
}

type Encoding = 'json' | 'protobuf';

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Kafka's default max.message.bytes is 1 MiB per record batch: sends are cut well below it. */
const MAX_SEND_BYTES = 512 * 1024;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_UNAVAILABLE = 14;

function encodingOf(req: HttpRequest): Encoding {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  throw new HttpError(
    415,
    `unsupported content type ${JSON.stringify(type)}: use application/json or application/x-protobuf`
  );
}

/** google.rpc.Status (code = 1, message = 2), the OTLP error body, in the request's encoding. */
function statusResponse(encoding: Encoding, httpStatus: number, code: number, message: string): HttpResponse {
  if (encoding === 'json') return { status: httpStatus, body: { code, message, error: message } };
  const text = Buffer.from(message, 'utf8');
  const head = [0x08, code, 0x12];
  let n = text.length;
  while (n >= 0x80) {
    head.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  head.push(n);
  return { status: httpStatus, body: Buffer.concat([Buffer.from(head), text]), contentType: 'application/x-protobuf' };
}

function successResponse(
  encoding: Encoding,
  partial: { rejected: number; errorMessage: string } | undefined,
  noun: 'rejectedSpans' | 'rejectedLogRecords'
): HttpResponse {
  if (encoding === 'protobuf') {
    return { status: 200, body: encodeExportResponse(partial), contentType: 'application/x-protobuf' };
  }
  const body: OtlpExportResponse = partial
    ? { partialSuccess: { [noun]: partial.rejected, errorMessage: partial.errorMessage } }
    : {};
  return { status: 200, body };
}

/** Splits messages so no single produce request gets near the broker's message size limit. */
function chunks(messages: OutgoingMessage[]): OutgoingMessage[][] {
  const out: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = m.value.length + 64;
    if (current.length > 0 && bytes + size > MAX_SEND_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function createOtlpReceiver(ctx: BridgeContext, options: OtlpReceiverOptions = {}): BridgeModule {
  const producer = new DurableProducer(ctx.kafka);
  const maxBodyBytes = options.max_request_body_bytes ?? DEFAULT_MAX_BODY_BYTES;
  const spansTopic = options.spans_topic ?? SPANS_TOPIC;
  const logsTopic = options.logs_topic ?? ctx.config.sources.kafka_logs.topic;

  async function toKafka(topic: string, messages: OutgoingMessage[]): Promise<void> {
    try {
      for (const chunk of chunks(messages)) await producer.send(topic, chunk);
    } catch (error) {
      ctx.log(`OTLP intake could not write to ${topic}: ${(error as Error).message}`);
      throw new KafkaUnavailable((error as Error).message);
    }
  }

  /** Body to the plain OTLP/JSON document, whichever encoding it came in. */
  function documentOf(req: HttpRequest, encoding: Encoding, kind: 'traces' | 'logs'): unknown {
    if (req.body.length > maxBodyBytes) throw new HttpError(413, `request body exceeds ${maxBodyBytes} bytes`);
    if (encoding === 'protobuf') {
      return kind === 'traces' ? protobufTraceRequestToJson(req.body) : protobufLogsRequestToJson(req.body);
    }
    try {
      return JSON.parse(req.body.toString('utf8')) as unknown;
    } catch (error) {
      throw new OtlpFormatError(`body is not JSON: ${(error as Error).message}`);
    }
  }

  function handler(kind: 'traces' | 'logs') {
    return async (req: HttpRequest): Promise<HttpResponse> => {
      const encoding = encodingOf(req);
      try {
        const document = documentOf(req, encoding, kind);
        if (kind === 'traces') {
          const result = decodeExportTraceServiceRequest(document);
          await toKafka(
            spansTopic,
            result.spans.map((span) => ({ key: span['trace.id'], value: JSON.stringify(span) }))
          );
          const partial = result.partialSuccess
            ? { rejected: result.partialSuccess.rejectedSpans, errorMessage: result.partialSuccess.errorMessage }
            : undefined;
          return successResponse(encoding, partial, 'rejectedSpans');
        }
        const result = decodeExportLogsServiceRequest(document);
        await toKafka(
          logsTopic,
          result.logs.map((log) => ({
            key: log.serviceName,
            value: JSON.stringify(otlpLogToEcsJson(log)),
            headers: { 'cairn-format': 'otlp' },
          }))
        );
        const partial = result.partialSuccess
          ? { rejected: result.partialSuccess.rejectedLogRecords, errorMessage: result.partialSuccess.errorMessage }
          : undefined;
        return successResponse(encoding, partial, 'rejectedLogRecords');
      } catch (error) {
        if (error instanceof OtlpFormatError) {
          return statusResponse(
            encoding,
            400,
            GRPC_INVALID_ARGUMENT,
            `malformed OTLP ${kind} request: ${error.message}`
          );
        }
        if (error instanceof KafkaUnavailable) {
          // 503 is retryable for OTLP clients: nothing was acknowledged.
          return statusResponse(encoding, 503, GRPC_UNAVAILABLE, `Kafka unavailable: ${error.message}`);
        }
        if (error instanceof HttpError) {
          return statusResponse(encoding, error.status, GRPC_INVALID_ARGUMENT, error.message);
        }
        throw error;
      }
    };
  }

  const routes: Route[] = [
    { method: 'POST', path: OTLP_TRACES_PATH, handler: handler('traces') },
    { method: 'POST', path: OTLP_LOGS_PATH, handler: handler('logs') },
  ];

  return {
    name: 'otlp',
    routes,
    async stop() {
      await producer.disconnect();
    },
  };
}

class KafkaUnavailable extends Error {}

/** Registers the receiver with its defaults: `otlpReceiverModule` in bridge/modules.ts. */
export const otlpReceiverModule: BridgeModuleFactory = (ctx) => createOtlpReceiver(ctx);

/** The receiver with options (tests: a unique spans topic, a small body limit). */
export function otlpReceiverModuleWith(options: OtlpReceiverOptions): BridgeModuleFactory {
  return (ctx) => createOtlpReceiver(ctx, options);
}
