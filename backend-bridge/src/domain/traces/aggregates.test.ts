import { describe, expect, it } from 'vitest';
import type { OtlpLog, Span } from '../otlp/types.js';
import { analyzeTrace } from './analyzeTrace.js';
import { assembleTraces } from './assemble.js';
import { rankCodeHotSpots } from './hotSpots.js';
import { buildServiceGraph, percentileSorted } from './serviceGraph.js';
import { normalizeStatement, rankSlowOperations } from './slowOperations.js';
import { makeSpan } from './syntheticSpans.js';
import { logsBySpan, userJourney } from './userJourney.js';

const traceId = (n: number): string => n.toString(16).padStart(32, 'f');

/** web GET /checkout → (client) → api POST /pay → SELECT, with chosen durations. */
function checkoutTrace(n: number, total: number, api: number, query: number, failed = false): Span[] {
  const t = traceId(n);
  const base = n * 1_000_000;
  return [
    makeSpan({
      traceId: t,
      id: 'r',
      service: 'web',
      name: 'GET /checkout',
      kind: 'server',
      start: base,
      end: base + total,
    }),
    makeSpan({
      traceId: t,
      id: 'c',
      parent: 'r',
      service: 'web',
      name: 'POST',
      kind: 'client',
      start: base + 5,
      end: base + 5 + api,
      attributes: {
        'code.function': 'pay',
        'code.namespace': 'CheckoutController',
        'code.filepath': 'src/checkout.ts',
      },
    }),
    makeSpan({
      traceId: t,
      id: 's',
      parent: 'c',
      service: 'api',
      name: 'POST /pay',
      kind: 'server',
      start: base + 5,
      end: base + 5 + api,
      status: failed ? 'error' : 'unset',
    }),
    makeSpan({
      traceId: t,
      id: 'q',
      parent: 's',
      service: 'api',
      name: 'SELECT t',
      kind: 'client',
      start: base + 6,
      end: base + 6 + query,
      attributes: { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM t WHERE id = ${n} AND name = 'x'` },
    }),
  ];
}

function checkoutTraces(): Span[] {
  const spans: Span[] = [];
  for (let n = 1; n <= 19; n++) spans.push(...checkoutTrace(n, 100, 50, 10, n <= 2));
  spans.push(...checkoutTrace(20, 1000, 900, 850));
  return spans;
}

describe('percentileSorted', () => {
  it('interpolates between ranks', () => {
    expect(percentileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentileSorted([100, 1000], 0.95)).toBeCloseTo(955);
    expect(percentileSorted([], 0.95)).toBeNaN();
  });
});

describe('buildServiceGraph', () => {
  it('counts cross-service calls with error rate and p95, and virtual nodes for uninstrumented peers', () => {
    const graph = buildServiceGraph(checkoutTraces(), { windowSeconds: 10 });
    expect(graph.services).toEqual(['api', 'postgresql', 'web']);
    const webToApi = graph.edges.find((e) => e.caller === 'web');
    const apiToDb = graph.edges.find((e) => e.caller === 'api');
    expect(webToApi).toMatchObject({ caller: 'web', callee: 'api', virtualCallee: false, calls: 20, errors: 2 });
    expect(webToApi?.errorRate).toBeCloseTo(0.1);
    expect(webToApi?.ratePerSecond).toBe(2);
    expect(webToApi?.p95Ms).toBeCloseTo((50 + 0.05 * 850) / 1000);
    expect(apiToDb).toMatchObject({ caller: 'api', callee: 'postgresql', virtualCallee: true, calls: 20, errors: 0 });
    expect(graph.edges).toHaveLength(2);
  });
});

describe('rankSlowOperations', () => {
  it('ranks endpoints and statements by their share of the callers p95 tail', () => {
    const { endpoints, statements } = rankSlowOperations(assembleTraces(checkoutTraces()));
    expect(statements).toEqual([
      expect.objectContaining({
        kind: 'db',
        operation: 'SELECT * FROM t WHERE id = ? AND name = ?',
        service: 'api',
        caller: 'api POST /pay',
        tailCalls: 1,
        contributionMs: 0.85,
        calls: 20,
      }),
    ]);
    expect(statements[0]?.callerP95Ms).toBeCloseTo(0.0925);
    expect(endpoints[0]).toMatchObject({
      operation: 'api POST /pay',
      caller: 'web GET /checkout',
      contributionMs: 0.9,
    });
    expect(endpoints[0]?.shareOfCallerP95).toBeCloseTo(0.9 / 0.145);
  });

  it('normalises literals out of statements', () => {
    expect(normalizeStatement("select  *\n from users where id = 42 and name = 'o''brien'")).toBe(
      'select * from users where id = ? and name = ?'
    );
  });
});

describe('rankCodeHotSpots', () => {
  it('sums critical and self time per function', () => {
    const analyses = assembleTraces(checkoutTraces()).map((t) => analyzeTrace(t));
    const [spot] = rankCodeHotSpots(analyses);
    expect(spot).toMatchObject({
      function: 'CheckoutController.pay',
      filepath: 'src/checkout.ts',
      service: 'web',
      calls: 20,
      criticalMs: 0,
      selfMs: 0,
    });
    expect(spot?.p95Ms).toBeCloseTo(0.0925);
  });
});

describe('userJourney', () => {
  it('orders spans and logs of a user across services, including the rest of their traces', () => {
    const t1 = traceId(1);
    const t2 = traceId(2);
    const spans = [
      makeSpan({ traceId: t2, id: 'b', service: 'cart', name: 'add', start: 3000, end: 4000, status: 'error' }),
      makeSpan({
        traceId: t1,
        id: 'a',
        service: 'web',
        name: 'login',
        start: 1000,
        end: 2000,
        attributes: { 'user.id': 'u1' },
      }),
      makeSpan({ traceId: t1, id: 'a2', parent: 'a', service: 'auth', name: 'check', start: 1100, end: 1200 }),
      makeSpan({ traceId: traceId(3), id: 'z', service: 'web', name: 'other', start: 500, end: 600 }),
    ];
    const log = (us: number, message: string, extra: Partial<OtlpLog>): OtlpLog => ({
      timestamp: new Date(us / 1000).toISOString(),
      'timestamp.us': us,
      message,
      serviceName: 'cart',
      resource: {},
      attributes: {},
      ...extra,
    });
    const logs = [
      log(3500, 'cart full', { traceId: t2, spanId: 'b', level: 'error', attributes: { 'enduser.id': 'u1' } }),
      log(1100, 'checking', { traceId: t1, spanId: 'a2' }),
      log(900, 'someone else', { attributes: { 'user.id': 'u2' } }),
    ];
    const journey = userJourney({ userId: 'u1' }, spans, logs);
    expect(journey.map((e) => [e.type, e.text, e.matchedBy])).toEqual([
      ['span', 'login', 'attribute'],
      ['span', 'check', 'trace'],
      ['log', 'checking', 'trace'],
      ['span', 'add', 'trace'],
      ['log', 'cart full', 'attribute'],
    ]);
    expect(journey[3]?.error).toBe(true);
    expect(() => userJourney({}, spans, logs)).toThrow(/userId or sessionId/);
    expect([...logsBySpan(logs, t1).keys()]).toEqual(['a2']);
  });
});
