import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import type {
  JourneyResponse,
  OtlpExportResponse,
  ServiceGraphResponse,
  SlowOperationsResponse,
  TraceResponse,
} from '@cairn/contract';
import { Bridge } from '../../bridge/bridge.js';
import { loadBridgeConfig } from '../../config/files.js';
import { decodeExportResponse } from '../../domain/otlp/protobuf.js';
import { esUrl, kafkaBrokers } from '../../stack/index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElasticsearchClient } from '../../adapters/elasticsearch/client.js';
import { ensureStack, produce, REPO_ROOT, stopChild, testKafka, uniqueName, waitFor } from '../../testing/harness.js';
import { tracesModuleWith } from '../traces/index.js';
import { otlpReceiverModuleWith } from './index.js';

const MAX_BODY = 256 * 1024;
let bridge: Bridge;
let base: string;
let spansTopic: string;

beforeAll(async () => {
  await ensureStack();
  const config = loadBridgeConfig(undefined, { CAIRN_ES_URL: esUrl(), CAIRN_KAFKA_BROKERS: kafkaBrokers().join(',') });
  config.sources.kafka_logs.topic = uniqueName('it-otlp-logs');
  config.sources.kafka_logs.group_id = uniqueName('it-otlp-group');
  config.sources.kafka_logs.from_beginning = true;
  config.api.listen_port = 0;
  spansTopic = uniqueName('it-otlp-spans');
  bridge = new Bridge({
    config,
    modules: [
      otlpReceiverModuleWith({ spans_topic: spansTopic, max_request_body_bytes: MAX_BODY }),
      tracesModuleWith({ spans_topic: spansTopic, spans_group_id: uniqueName('it-spans-indexer') }),
    ],
    log: (m) => process.env.CAIRN_TEST_VERBOSE && process.stderr.write(`[bridge] ${m}\n`),
  });
  const { port } = await bridge.start();
  base = `http://127.0.0.1:${port}`;
}, 600_000);

afterAll(async () => {
  await bridge?.stop();
});

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

async function traceOf(traceId: string, spans: number, logs = 0): Promise<TraceResponse> {
  let last: TraceResponse | undefined;
  await waitFor(
    `trace ${traceId} with ${spans} spans and ${logs} logs`,
    async () => {
      const r = await getJson<TraceResponse>(`/api/v1/traces/${traceId}`);
      if (r.status === 200) last = r.body;
      return last !== undefined && last.spanCount >= spans && last.logs.length >= logs;
    },
    90_000,
    1000
  ).catch((error: unknown) => {
    const seen = last ? `${last.spanCount} spans, ${last.logs.length} logs` : 'no trace';
    throw new Error(`${(error as Error).message} (saw ${seen})`);
  });
  if (!last) throw new Error('unreachable');
  return last;
}

function postOtlp(path: string, body: Buffer | string, headers: Record<string, string>) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers,
  });
}

describe('OTLP/HTTP intake, spans indexing and the traces API on the real stack', () => {
  it('rebuilds what the OpenTelemetry JS SDK sent over OTLP JSON and protobuf, with its logs', async () => {
    const user = uniqueName('user');
    const frontend = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'it-frontend', 'host.name': 'fe-1' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPJsonTraceExporter({ url: `${base}/v1/traces` }))],
    });
    const backend = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'it-backend', 'host.name': 'be-1' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPProtoTraceExporter({ url: `${base}/v1/traces` }))],
    });
    const loggers = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'it-backend' }),
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }) })],
    });
    const exportErrors: string[] = [];
    const { diag, DiagLogLevel } = await import('@opentelemetry/api');
    diag.setLogger(
      {
        error: (m: string, ...a: unknown[]) => exportErrors.push(`${m} ${a.map(String).join(' ')}`),
        warn: () => {},
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.ERROR
    );
    const fe = frontend.getTracer('it');
    const be = backend.getTracer('it');
    const log = loggers.getLogger('it-logger');

    const root = fe.startSpan('GET /checkout', {
      kind: SpanKind.SERVER,
      attributes: { 'user.id': user, 'http.route': '/checkout' },
    });
    const rootCtx = trace.setSpan(context.active(), root);
    const call = fe.startSpan(
      'POST /pay',
      { kind: SpanKind.CLIENT, attributes: { 'peer.service': 'it-backend' } },
      rootCtx
    );
    const callCtx = trace.setSpan(rootCtx, call);
    const handler = be.startSpan('POST /pay', { kind: SpanKind.SERVER }, callCtx);
    const handlerCtx = trace.setSpan(callCtx, handler);
    const db = be.startSpan(
      'SELECT payments',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM payments WHERE id = 42' },
      },
      handlerCtx
    );
    log.emit({
      body: 'charging card',
      severityNumber: 9,
      severityText: 'INFO',
      context: handlerCtx,
      attributes: { 'user.id': user },
    });
    await new Promise((r) => setTimeout(r, 20));
    db.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
    db.recordException(new Error('deadlock detected'));
    db.end();
    log.emit({ body: 'payment failed: deadlock', severityNumber: 17, context: handlerCtx });
    handler.setStatus({ code: SpanStatusCode.ERROR });
    handler.end();
    call.end();
    root.end();
    await Promise.all([frontend.forceFlush(), backend.forceFlush(), loggers.forceFlush()]);

    const traceId = root.spanContext().traceId;
    const got = await traceOf(traceId, 4, 2);
    expect(exportErrors).toEqual([]);
    expect(got.spanCount).toBe(4);
    const byName = new Map(got.spans.map((s) => [`${s.serviceName}:${s.name}`, s]));
    expect([...byName.keys()].sort()).toEqual([
      'it-backend:POST /pay',
      'it-backend:SELECT payments',
      'it-frontend:GET /checkout',
      'it-frontend:POST /pay',
    ]);
    expect(byName.get('it-frontend:GET /checkout')?.parentId).toBeUndefined();
    expect(byName.get('it-frontend:POST /pay')?.parentId).toBe(root.spanContext().spanId);
    expect(byName.get('it-backend:POST /pay')?.parentId).toBe(call.spanContext().spanId);
    expect(byName.get('it-backend:SELECT payments')?.parentId).toBe(handler.spanContext().spanId);
    expect(byName.get('it-backend:SELECT payments')?.kind).toBe('client');
    expect(got.roots).toEqual([root.spanContext().spanId]);
    expect(got.services.sort()).toEqual(['it-backend', 'it-frontend']);
    expect(got.criticalPath).toContain(root.spanContext().spanId);
    expect(got.criticalPath).toContain(db.spanContext().spanId);
    expect(Object.keys(got.selfTimeMs)).toHaveLength(4);
    expect(got.errorOrigin?.spanId).toBe(db.spanContext().spanId);
    expect(got.errorOrigin?.exception?.message).toBe('deadlock detected');
    // The logs came through cairn.logs and the log pipeline, and sit beside the span they were written in.
    expect(got.logs.map((l) => l.message)).toEqual(['charging card', 'payment failed: deadlock']);
    expect(got.logs[1]?.log.level).toBe('error');
    expect(got.logs[0]?.cairn.format).toBe('otlp');
    expect(byName.get('it-backend:POST /pay')?.logIndexes).toEqual([0, 1]);

    const graph = await getJson<ServiceGraphResponse>('/api/v1/service-graph?from=now-15m&maxSpans=50000');
    expect(graph.status).toBe(200);
    const edge = graph.body.edges.find((e) => e.caller === 'it-frontend' && e.callee === 'it-backend');
    expect(edge?.calls).toBeGreaterThanOrEqual(1);
    const slow = await getJson<SlowOperationsResponse>('/api/v1/slow-operations?from=now-15m&service=it-backend');
    expect(slow.status).toBe(200);
    expect(slow.body.statements.some((s) => s.operation.includes('payments'))).toBe(true);
    const journey = await getJson<JourneyResponse>(`/api/v1/journeys?userId=${user}&from=now-15m`);
    expect(journey.status).toBe(200);
    expect(journey.body.traceIds).toEqual([traceId]);
    expect(journey.body.events.filter((e) => e.type === 'span')).toHaveLength(4);
    expect(journey.body.events.filter((e) => e.type === 'log')).toHaveLength(2);

    await Promise.all([frontend.shutdown(), backend.shutdown(), loggers.shutdown()]);
  });

  it('rejects malformed spans by name and keeps the valid ones of the same request', async () => {
    const traceId = Buffer.from(uniqueName('t')).toString('hex').padEnd(32, '0').slice(0, 32).replace(/^0/, 'a');
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (over: Record<string, unknown>) => ({
      traceId,
      spanId: 'a1a2a3a4a5a6a7a8',
      name: 'ok',
      kind: 2,
      startTimeUnixNano: String(now),
      endTimeUnixNano: String(now + 5_000_000n),
      ...over,
    });
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'it-bad-input' } }] },
          scopeSpans: [
            {
              spans: [
                span({}),
                span({ spanId: 'b1b2b3b4b5b6b7b8', name: 'short trace id', traceId: 'abc123' }),
                span({ spanId: undefined, name: 'no span id' }),
                span({ spanId: 'c1c2c3c4c5c6c7c8', name: 'bad kind', kind: 'SPAN_KIND_SIDEWAYS' }),
                span({
                  spanId: 'd1d2d3d4d5d6d7d8',
                  name: 'child',
                  parentSpanId: 'a1a2a3a4a5a6a7a8',
                  kind: 'SPAN_KIND_CLIENT',
                }),
              ],
            },
          ],
        },
      ],
    };
    const res = await postOtlp('/v1/traces', gzipSync(JSON.stringify(request)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as OtlpExportResponse;
    expect(body.partialSuccess?.rejectedSpans).toBe(3);
    expect(body.partialSuccess?.errorMessage).toMatch(/spans\[1\].*traceId must be 32 hex/);
    expect(body.partialSuccess?.errorMessage).toMatch(/spans\[2\].*spanId is required/);
    expect(body.partialSuccess?.errorMessage).toMatch(/spans\[3\].*kind must be one of/);
    const kept = await traceOf(traceId, 2);
    expect(kept.spans.map((s) => s.name)).toEqual(['ok', 'child']);

    // The same over protobuf: a span with a 3-byte trace ID is named in a protobuf partial success.
    const ld = (field: number, bytes: Buffer) => Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
    const fixed64 = (field: number, value: bigint) => {
      const b = Buffer.alloc(9);
      b[0] = (field << 3) | 1;
      b.writeBigUInt64LE(value, 1);
      return b;
    };
    const rawSpan = (id: Buffer, spanId: number) =>
      Buffer.concat([
        ld(1, id),
        ld(2, Buffer.alloc(8, spanId)),
        ld(5, Buffer.from('pb')),
        fixed64(7, now),
        fixed64(8, now + 1000n),
      ]);
    const pbTraceId = Buffer.from(traceId.replace(/^./, 'b'), 'hex');
    const pbRequest = ld(
      1,
      ld(2, Buffer.concat([ld(2, rawSpan(Buffer.from([1, 2, 3]), 1)), ld(2, rawSpan(pbTraceId, 2))]))
    );
    const pbRes = await postOtlp('/v1/traces', pbRequest, { 'content-type': 'application/x-protobuf' });
    expect(pbRes.status).toBe(200);
    expect(pbRes.headers.get('content-type')).toBe('application/x-protobuf');
    const pbBody = decodeExportResponse(Buffer.from(await pbRes.arrayBuffer()));
    expect(pbBody?.rejected).toBe(1);
    expect(pbBody?.errorMessage).toMatch(/spans\[0\].*traceId must be 32 hex characters, got "010203"/);
    expect((await traceOf(pbTraceId.toString('hex'), 1)).spans[0]?.name).toBe('pb');

    // Logs: a bad severity and a bad span ID are named, the good record is accepted.
    const logs = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: String(now), body: { stringValue: 'fine' } },
                { timeUnixNano: String(now), severityNumber: 99, body: { stringValue: 'bad severity' } },
                { timeUnixNano: String(now), spanId: 'xyz', body: { stringValue: 'bad span' } },
              ],
            },
          ],
        },
      ],
    };
    const logRes = await postOtlp('/v1/logs', JSON.stringify(logs), { 'content-type': 'application/json' });
    expect(logRes.status).toBe(200);
    const logBody = (await logRes.json()) as OtlpExportResponse;
    expect(logBody.partialSuccess?.rejectedLogRecords).toBe(2);
    expect(logBody.partialSuccess?.errorMessage).toMatch(/logRecords\[1\].*severityNumber/);
  });

  it('accepts the opentelemetry-proto examples, and indexes spans from Kafka once per trace+span ID', async () => {
    const fixtures = join(import.meta.dirname, '../../domain/otlp/fixtures');
    const traceJson = readFileSync(join(fixtures, 'trace.json'));
    const logsJson = readFileSync(join(fixtures, 'logs.json'));
    const tracesRes = await postOtlp('/v1/traces', traceJson, { 'content-type': 'application/json' });
    expect(tracesRes.status).toBe(200);
    expect(await tracesRes.json()).toEqual({});
    const logsRes = await postOtlp('/v1/logs', logsJson, { 'content-type': 'application/json' });
    expect(logsRes.status).toBe(200);
    expect(await logsRes.json()).toEqual({});
    // The same request straight on the spans topic, twice (a replay): still one document per span.
    const doc = JSON.parse(traceJson.toString('utf8')) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }>;
    };
    const spans = doc.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    const traceId = (spans[0]?.traceId ?? '').toLowerCase();
    await produce(testKafka(), spansTopic, [
      { key: traceId, value: traceJson },
      { key: traceId, value: traceJson },
    ]);
    const got = await traceOf(traceId, spans.length);
    expect(got.spanCount).toBe(spans.length);
    const es = createElasticsearchClient(esUrl());
    try {
      await es.indices.refresh({ index: 'cairn-spans*' });
      const count = await es.count({ index: 'cairn-spans*', query: { term: { 'trace.id': traceId } } });
      expect(count.count).toBe(spans.length);
    } finally {
      await es.close();
    }
  });

  it('keeps one trace across the example service hops (W3C traceparent) and receives its spans', async () => {
    const services: ChildProcess[] = [];
    const start = (name: string, port: number) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'examples/node-service/server.mjs')], {
        env: { ...process.env, PORT: String(port), SERVICE_NAME: name, OTLP_ENDPOINT: base },
        stdio: 'ignore',
      });
      services.push(child);
    };
    const edgePort = 20_000 + Math.floor(Math.random() * 20_000);
    start('it-example-edge', edgePort);
    start('it-example-inner', edgePort + 1);
    try {
      const listening = async (port: number) =>
        (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)) !== undefined;
      await waitFor(
        'example services listening',
        async () => (await listening(edgePort)) && listening(edgePort + 1),
        20_000,
        200
      );
      const answer = await fetch(
        `http://127.0.0.1:${edgePort}/hello?downstream=http://127.0.0.1:${edgePort + 1}/hello`
      );
      expect(answer.status).toBe(200);
      const traceId = ((await answer.json()) as { traceId: string }).traceId;
      const got = await traceOf(traceId, 3);
      expect(got.spans.map((s) => `${s.serviceName} ${s.kind} ${s.name} ${s.depth}`)).toEqual([
        'it-example-edge server GET /hello 0',
        'it-example-edge client GET /hello 1',
        'it-example-inner server GET /hello 2',
      ]);
    } finally {
      for (const child of services) await stopChild(child);
    }
  });

  it('answers 400, 413 and 415 for requests that are not OTLP at all, in the request encoding', async () => {
    const json = { 'content-type': 'application/json' };
    const proto = { 'content-type': 'application/x-protobuf' };
    expect((await postOtlp('/v1/traces', '{not json', json)).status).toBe(400);
    expect((await postOtlp('/v1/traces', '{"resourceSpans": 7}', json)).status).toBe(400);
    expect(
      (await postOtlp('/v1/traces', Buffer.from('not gzip'), { ...json, 'content-encoding': 'gzip' })).status
    ).toBe(400);
    const big = JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(MAX_BODY) });
    expect((await postOtlp('/v1/traces', big, json)).status).toBe(413);
    expect((await postOtlp('/v1/logs', gzipSync(big), { ...json, 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await postOtlp('/v1/traces', 'hello', { 'content-type': 'text/plain' })).status).toBe(415);
    const badProto = await postOtlp('/v1/traces', Buffer.from([0x0a, 0x7f, 0x01]), proto);
    expect(badProto.status).toBe(400);
    expect(badProto.headers.get('content-type')).toBe('application/x-protobuf');
    const status = Buffer.from(await badProto.arrayBuffer());
    expect(status[0]).toBe(0x08);
    expect(status[1]).toBe(3);
    expect(status.toString('utf8')).toMatch(/malformed OTLP traces request/);
    // An empty protobuf request is a valid, empty export: full success, empty response message.
    const empty = await postOtlp('/v1/logs', Buffer.alloc(0), proto);
    expect(empty.status).toBe(200);
    expect(decodeExportResponse(Buffer.from(await empty.arrayBuffer()))).toBeUndefined();
    // Unknown trace: 404; malformed trace ID: 400.
    expect((await getJson('/api/v1/traces/0123456789abcdef0123456789abcdef')).status).toBe(404);
    expect((await getJson('/api/v1/traces/xyz')).status).toBe(400);
    expect((await getJson('/api/v1/journeys')).status).toBe(400);
  });
});
