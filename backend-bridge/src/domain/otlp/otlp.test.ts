import { describe, expect, it } from 'vitest';
import traceExample from './fixtures/trace.json' with { type: 'json' };
import logsExample from './fixtures/logs.json' with { type: 'json' };
import { decodeExportLogsServiceRequest } from './logs.js';
import { decodeExportTraceServiceRequest } from './traces.js';
import { OtlpFormatError } from './types.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';

function request(spans: unknown[], resourceAttributes: unknown[] = []): unknown {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, ...resourceAttributes] },
        scopeSpans: [{ scope: { name: 'lib' }, spans }],
      },
    ],
  };
}

function span(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID,
    spanId: '0102030405060708',
    name: 'GET /cart',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    ...overrides,
  };
}

describe('decodeExportTraceServiceRequest', () => {
  it('accepts the opentelemetry-proto examples/trace.json', () => {
    const result = decodeExportTraceServiceRequest(traceExample);
    expect(result.rejected).toEqual([]);
    expect(result.partialSuccess).toBeUndefined();
    expect(result.spans).toHaveLength(1);
    const [decoded] = result.spans;
    expect(decoded).toMatchObject({
      'trace.id': TRACE_ID,
      'span.id': 'eee19b7ec3c1b174',
      'parent.id': 'eee19b7ec3c1b173',
      'service.name': 'my.service',
      name: "I'm a server span",
      kind: 'server',
      'start.us': 1544712660000000,
      'end.us': 1544712661000000,
      'duration.us': 1000000,
      '@timestamp': '2018-12-13T14:51:00.000Z',
      status: { code: 'unset' },
      attributes: { 'my.span.attr': 'some value' },
      scope: { name: 'my.library', version: '1.0.0' },
    });
  });

  it('reads nanos from strings exactly, enum names, status, events and links', () => {
    const result = decodeExportTraceServiceRequest(
      request([
        span({
          startTimeUnixNano: '1700000000123456789',
          endTimeUnixNano: '1700000000223456789',
          kind: 'SPAN_KIND_CLIENT',
          status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
          events: [
            {
              timeUnixNano: '1700000000200000000',
              name: 'exception',
              attributes: [{ key: 'exception.type', value: { stringValue: 'TimeoutError' } }],
            },
          ],
          links: [{ traceId: 'AB'.repeat(16), spanId: 'CD'.repeat(8), traceState: 'k=v' }],
          attributes: [
            { key: 'big', value: { intValue: '9223372036854775807' } },
            { key: 'small', value: { intValue: '42' } },
            { key: 'bytes', value: { bytesValue: 'AQI=' } },
            { key: 'nan', value: { doubleValue: 'NaN' } },
            { key: 'list', value: { arrayValue: { values: [{ boolValue: false }, { doubleValue: 1.5 }] } } },
            { key: 'map', value: { kvlistValue: { values: [{ key: 'a', value: { intValue: 1 } }] } } },
            { key: 'empty', value: {} },
          ],
        }),
        span({ spanId: '0102030405060709', kind: 1, status: { code: 1 } }),
      ])
    );
    expect(result.rejected).toEqual([]);
    const [client, internal] = result.spans;
    expect(client?.['start.us']).toBe(1700000000123456);
    expect(client?.['duration.us']).toBe(100000);
    expect(client?.kind).toBe('client');
    expect(client?.status).toEqual({ code: 'error', message: 'boom' });
    expect(client?.events[0]).toEqual({
      name: 'exception',
      'timestamp.us': 1700000000200000,
      attributes: { 'exception.type': 'TimeoutError' },
    });
    expect(client?.links[0]).toEqual({
      'trace.id': 'ab'.repeat(16),
      'span.id': 'cd'.repeat(8),
      'trace.state': 'k=v',
      attributes: {},
    });
    expect(client?.attributes).toEqual({
      big: '9223372036854775807',
      small: 42,
      bytes: 'AQI=',
      nan: 'NaN',
      list: [false, 1.5],
      map: { a: 1 },
      empty: null,
    });
    expect(client?.['parent.id']).toBeUndefined();
    expect(internal?.kind).toBe('internal');
    expect(internal?.status.code).toBe('ok');
  });

  it('rejects broken spans with reasons and keeps the valid ones (partial success)', () => {
    const result = decodeExportTraceServiceRequest(
      request([
        span({ spanId: '0000000000000001' }),
        span({ traceId: 'abc' }),
        span({ traceId: '0'.repeat(32) }),
        span({ spanId: undefined }),
        span({ spanId: 'zz02030405060708' }),
        span({ parentSpanId: '0102' }),
        span({ kind: 9 }),
        span({ kind: 'SERVER' }),
        span({ status: { code: 7 } }),
        span({ startTimeUnixNano: '17e9' }),
        span({ endTimeUnixNano: '1600000000000000000' }),
        span({ attributes: [{ key: 'x', value: { intValue: 'ten' } }] }),
        span({ links: [{ traceId: TRACE_ID }] }),
        'not a span',
      ])
    );
    expect(result.spans.map((s) => s['span.id'])).toEqual(['0000000000000001']);
    expect(result.rejected).toHaveLength(13);
    expect(result.partialSuccess?.rejectedSpans).toBe(13);
    const reasons = result.rejected.map((r) => r.reason);
    expect(reasons[0]).toMatch(/traceId must be 32 hex/);
    expect(reasons[1]).toMatch(/all zeros/);
    expect(reasons[2]).toMatch(/spanId is required/);
    expect(reasons[3]).toMatch(/spanId must be 16 hex/);
    expect(reasons[4]).toMatch(/parentSpanId must be 16 hex/);
    expect(reasons[5]).toMatch(/^kind/);
    expect(reasons[6]).toMatch(/^kind/);
    expect(reasons[7]).toMatch(/status.code/);
    expect(reasons[8]).toMatch(/startTimeUnixNano/);
    expect(reasons[9]).toMatch(/before/);
    expect(reasons[10]).toMatch(/intValue must be an integer/);
    expect(reasons[11]).toMatch(/links\[0\]/);
    expect(result.rejected[0]?.path).toBe('resourceSpans[0].scopeSpans[0].spans[1] (spanId 0102030405060708)');
    expect(result.partialSuccess?.errorMessage).toMatch(/^rejected 13 spans: .*and 8 more$/);
  });

  it('falls back to unknown_service and refuses documents that are not requests', () => {
    const result = decodeExportTraceServiceRequest({ resourceSpans: [{ scopeSpans: [{ spans: [span()] }] }] });
    expect(result.spans[0]?.['service.name']).toBe('unknown_service');
    expect(() => decodeExportTraceServiceRequest([])).toThrow(OtlpFormatError);
    expect(() => decodeExportTraceServiceRequest({ resourceSpans: {} })).toThrow(OtlpFormatError);
    expect(decodeExportTraceServiceRequest({}).spans).toEqual([]);
  });

  it('rejects AnyValues nested deeper than the limit instead of recursing without bound', () => {
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 100; i++) value = { arrayValue: { values: [value] } };
    const result = decodeExportTraceServiceRequest(request([span({ attributes: [{ key: 'deep', value }] })]));
    expect(result.spans).toEqual([]);
    expect(result.rejected[0]?.reason).toMatch(/nests deeper/);
  });
});

describe('decodeExportLogsServiceRequest', () => {
  it('accepts the opentelemetry-proto examples/logs.json', () => {
    const result = decodeExportLogsServiceRequest(logsExample);
    expect(result.rejected).toEqual([]);
    expect(result.logs).toEqual([
      {
        timestamp: '2018-12-13T14:51:00.300Z',
        'timestamp.us': 1544712660300000,
        observedTimestamp: '2018-12-13T14:51:00.300Z',
        message: 'Example log record',
        level: 'info',
        severityText: 'Information',
        serviceName: 'my.service',
        traceId: TRACE_ID,
        spanId: 'eee19b7ec3c1b174',
        resource: { 'service.name': 'my.service' },
        attributes: {
          'string.attribute': 'some string',
          'boolean.attribute': true,
          'int.attribute': 10,
          'double.attribute': 637.704,
          'array.attribute': ['many', 'values'],
          'map.attribute': { 'some.map.key': 'some value' },
        },
        scope: { name: 'my.library', version: '1.0.0' },
      },
    ]);
  });

  it('derives the level from severityNumber, uses observed time, rejects broken records', () => {
    const result = decodeExportLogsServiceRequest({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: '1700000000000000000', severityNumber: 18, body: { kvlistValue: { values: [] } } },
                { observedTimeUnixNano: 1700000000000000000, severityNumber: 'SEVERITY_NUMBER_WARN2' },
                { body: { stringValue: 'no time' } },
                { timeUnixNano: '1700000000000000000', traceId: 'short' },
                { timeUnixNano: '1700000000000000000', severityNumber: 99 },
              ],
            },
          ],
        },
      ],
    });
    expect(result.logs).toHaveLength(2);
    expect(result.logs[0]).toMatchObject({ level: 'error', severityNumber: 18, message: '{}' });
    expect(result.logs[1]).toMatchObject({ level: 'warn', severityNumber: 14, timestamp: '2023-11-14T22:13:20.000Z' });
    expect(result.logs[0]?.serviceName).toBe('unknown_service');
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'timeUnixNano or observedTimeUnixNano is required',
      expect.stringMatching(/traceId must be 32 hex/),
      expect.stringMatching(/severityNumber/),
    ]);
    expect(result.partialSuccess?.rejectedLogRecords).toBe(3);
  });
});
