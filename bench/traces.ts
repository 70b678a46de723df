// Trace assembly + critical path at 1k/10k/100k spans (near-linear growth) and the service graph over 1M spans.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Attributes, Span, SpanKind, SpanStatus } from '../backend-bridge/src/domain/otlp/types.js';
import { analyzeTrace } from '../backend-bridge/src/domain/traces/analyzeTrace.js';
import { assembleTrace } from '../backend-bridge/src/domain/traces/assemble.js';
import { buildServiceGraph } from '../backend-bridge/src/domain/traces/serviceGraph.js';
import { seededRandom, spanIdOf } from '../backend-bridge/src/domain/traces/syntheticSpans.js';

const SERVICES = ['frontend', 'cart', 'checkout', 'payments', 'inventory', 'shipping', 'users', 'search'];
const EMPTY: never[] = [];
const OK: SpanStatus = { code: 'unset' };
const ERROR: SpanStatus = { code: 'error' };
const resources = new Map<string, Attributes>(SERVICES.map((s) => [s, { 'service.name': s, 'host.name': `${s}-1` }]));
const DB_ATTRIBUTES: Attributes = { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM carts WHERE id = ?' };

/**
 * A request-shaped tree: each span gets 1–8 children laid out in time slots, about a third of them running
 * concurrently with the next, some crossing services (client → server), leaves sometimes calling the database.
 */
function requestTrace(spanCount: number, seed: number, traceNumber = 0): Span[] {
  const random = seededRandom(seed);
  const traceId = (0x10000000 + traceNumber).toString(16).padStart(32, 'a');
  const base = 1_700_000_000_000_000 + traceNumber * 10_000_000;
  const spans: Span[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const services: string[] = [];
  const add = (parent: number, start: number, end: number, service: string, kind: SpanKind): void => {
    const index = spans.length;
    const isDb = kind === 'client' && random() < 0.3;
    const span: Span = {
      'trace.id': traceId,
      'span.id': spanIdOf(index),
      'service.name': service,
      name: isDb ? 'SELECT carts' : `op${index % 17}`,
      kind,
      '@timestamp': '2023-11-14T22:13:20.000Z',
      'start.us': base + start,
      'end.us': base + end,
      'duration.us': end - start,
      status: random() < 0.01 ? ERROR : OK,
      attributes: isDb ? DB_ATTRIBUTES : {},
      resource: resources.get(service) ?? {},
      events: EMPTY,
      links: EMPTY,
    };
    if (parent >= 0) span['parent.id'] = spanIdOf(parent);
    spans.push(span);
    starts.push(start);
    ends.push(end);
    services.push(service);
  };
  add(-1, 0, 60_000_000, 'frontend', 'server');
  for (let parent = 0; parent < spans.length && spans.length < spanCount; parent++) {
    const fanOut = 1 + Math.floor(random() * 8);
    const s = starts[parent] as number;
    const e = ends[parent] as number;
    const slot = (e - s) / fanOut;
    for (let c = 0; c < fanOut && spans.length < spanCount; c++) {
      const concurrent = random() < 0.3 ? 2 : 1;
      const cs = Math.floor(s + slot * c + random() * slot * 0.2);
      const ce = Math.min(e, Math.floor(s + slot * (c + concurrent) - random() * slot * 0.2));
      const parentService = services[parent] as string;
      const remote = random() < 0.3;
      if (remote && spans.length + 1 < spanCount) {
        // A cross-service call is a client span in the caller and a server span in the callee.
        add(parent, cs, ce, parentService, 'client');
        const callee = SERVICES[Math.floor(random() * SERVICES.length)] as string;
        add(spans.length - 1, cs + 1, Math.max(cs + 1, ce - 1), callee, 'server');
      } else {
        add(parent, cs, ce, parentService, random() < 0.2 ? 'client' : 'internal');
      }
    }
  }
  return spans;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time<T>(fn: () => T): [number, T] {
  const start = performance.now();
  const result = fn();
  return [performance.now() - start, result];
}

const lines: string[] = [];
const print = (line: string): void => {
  lines.push(line);
  console.log(line);
};

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
print(`# bench/traces — ${new Date().toISOString()}`);
print(`node ${process.version}, ${cpus().length} cores, load average at start: ${load()}`);
print('');
print('## Assembly + critical path + self time + error origin, one trace (median of runs)');
print('spans     runs  assemble ms  analyze ms  total ms  µs per span');
for (const [size, runs] of [
  [1_000, 21],
  [10_000, 11],
  [100_000, 5],
] as const) {
  const spans = requestTrace(size, size);
  const assembleTimes: number[] = [];
  const analyzeTimes: number[] = [];
  const totals: number[] = [];
  for (let run = -2; run < runs; run++) {
    const [assembleMs, trace] = time(() => assembleTrace(spans));
    const [analyzeMs, analysis] = time(() => analyzeTrace(trace));
    if (analysis.criticalPath.segments.length === 0) throw new Error('empty critical path');
    // Two warm-up runs let the JIT settle before timing.
    if (run < 0) continue;
    assembleTimes.push(assembleMs);
    analyzeTimes.push(analyzeMs);
    totals.push(assembleMs + analyzeMs);
  }
  const total = median(totals);
  print(
    `${String(size).padEnd(9)} ${String(runs).padEnd(5)} ${median(assembleTimes).toFixed(2).padStart(11)}` +
      `  ${median(analyzeTimes).toFixed(2).padStart(10)}  ${total.toFixed(2).padStart(8)}  ${((total * 1000) / size).toFixed(2).padStart(11)}`
  );
}

const chainSize = 100_000;
const chain: Span[] = requestTrace(1, 7);
for (let i = 1; i < chainSize; i++) {
  const parent = chain[i - 1] as Span;
  chain.push({
    ...parent,
    'span.id': spanIdOf(i),
    'parent.id': parent['span.id'],
    'start.us': parent['start.us'] + 1,
    'end.us': parent['end.us'] - 1,
  });
}
const [chainMs] = time(() => analyzeTrace(assembleTrace(chain)));
print(`100k-deep chain (iterative walks, no stack overflow): ${chainMs.toFixed(1)} ms`);

print('');
print('## Service graph over 1M spans (10k traces × 100 spans)');
const all: Span[] = [];
for (let t = 0; t < 10_000; t++) for (const span of requestTrace(100, 1000 + t, t)) all.push(span);
const graphTimes: number[] = [];
let edgeCount = 0;
for (let run = 0; run < 3; run++) {
  const [ms, graph] = time(() => buildServiceGraph(all));
  graphTimes.push(ms);
  edgeCount = graph.edges.length;
}
const graphMs = median(graphTimes);
print(
  `spans ${all.length}, edges ${edgeCount}, build ${(graphMs / 1000).toFixed(2)} s (median of 3), ` +
    `${((graphMs * 1000) / all.length).toFixed(2)} µs per span`
);
print(`load average at end: ${load()}`);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'traces.txt');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${lines.join('\n')}\n`);
