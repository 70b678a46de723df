import type { Attributes, Span, SpanKind, SpanStatusCode } from '../otlp/types.js';

/** Seeded PRNG (mulberry32) so randomized tests and benchmarks replay exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SpanSpec {
  traceId?: string;
  id: string;
  parent?: string;
  service?: string;
  name?: string;
  kind?: SpanKind;
  start: number;
  end: number;
  status?: SpanStatusCode;
  host?: string;
  attributes?: Attributes;
  exception?: { type: string; message: string; at?: number };
}

export const SYNTHETIC_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** murmur3's 32-bit finalizer: a bijection, so distinct inputs give distinct outputs. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Distinct, random-looking hex span ID for the n-th generated span (real IDs are random; hash maps assume so). */
export function spanIdOf(n: number): string {
  const hi = mix32((n + 1) ^ 0x9e3779b9)
    .toString(16)
    .padStart(8, '0');
  return (
    hi +
    mix32(n + 1)
      .toString(16)
      .padStart(8, '0')
  );
}

/** A decoded-shape Span from a terse spec; times in microseconds. */
export function makeSpan(spec: SpanSpec): Span {
  const service = spec.service ?? 'svc';
  const resource: Attributes = { 'service.name': service };
  if (spec.host !== undefined) resource['host.name'] = spec.host;
  const span: Span = {
    'trace.id': spec.traceId ?? SYNTHETIC_TRACE_ID,
    'span.id': spec.id,
    'service.name': service,
    name: spec.name ?? spec.id,
    kind: spec.kind ?? 'internal',
    '@timestamp': new Date(Math.floor(spec.start / 1000)).toISOString(),
    'start.us': spec.start,
    'end.us': spec.end,
    'duration.us': spec.end - spec.start,
    status: { code: spec.status ?? 'unset' },
    attributes: spec.attributes ?? {},
    resource,
    events: spec.exception
      ? [
          {
            name: 'exception',
            'timestamp.us': spec.exception.at ?? spec.end,
            attributes: { 'exception.type': spec.exception.type, 'exception.message': spec.exception.message },
          },
        ]
      : [],
    links: [],
  };
  if (spec.parent !== undefined) span['parent.id'] = spec.parent;
  return span;
}

export interface RandomTraceOptions {
  spanCount: number;
  random: () => number;
  traceId?: string;
  /** Chance a child may end after its parent (async work outliving it). */
  asyncChance?: number;
  /** Integer microsecond times on a small grid, so brute-force checks can enumerate instants. */
  gridUs?: number;
  services?: readonly string[];
  startUs?: number;
}

/** A random tree on one clock: children sit inside their parent unless async; parents picked near the tail. */
export function randomTraceSpans(options: RandomTraceOptions): Span[] {
  const { spanCount, random } = options;
  const grid = options.gridUs ?? 1;
  const services = options.services ?? ['frontend', 'cart', 'checkout', 'payments', 'db'];
  const asyncChance = options.asyncChance ?? 0.1;
  const base = options.startUs ?? 1_700_000_000_000_000;
  const starts: number[] = [];
  const ends: number[] = [];
  const spans: Span[] = [];
  const pick = (n: number): number => Math.floor(random() * n);
  for (let i = 0; i < spanCount; i++) {
    let start = 0;
    let end = 1000 * grid;
    let parent = -1;
    let outlivesParent = false;
    if (i > 0) {
      // Mostly recent parents give deep trees; sometimes any earlier span gives wide fan-out.
      parent = random() < 0.5 ? Math.max(0, i - 1 - pick(4)) : pick(i);
      const ps = starts[parent] as number;
      const pe = ends[parent] as number;
      const span = Math.max(0, Math.round((pe - ps) / grid));
      const a = ps + pick(span + 1) * grid;
      const b = ps + pick(span + 1) * grid;
      start = Math.min(a, b);
      end = Math.max(a, b);
      outlivesParent = random() < asyncChance;
      if (outlivesParent) end += (1 + pick(200)) * grid;
    }
    starts.push(start);
    ends.push(end);
    const service = services[pick(services.length)] ?? 'svc';
    const spec: SpanSpec = {
      id: spanIdOf(i),
      service,
      name: `op${pick(20)}`,
      // Work that outlives its parent is a queue consumer, so the skew adjuster leaves it where it is.
      kind: i === 0 ? 'server' : outlivesParent ? 'consumer' : (['internal', 'client', 'server'] as const)[pick(3)],
      start: base + start,
      end: base + end,
      host: service,
    };
    if (options.traceId !== undefined) spec.traceId = options.traceId;
    if (parent >= 0) spec.parent = spanIdOf(parent);
    spans.push(makeSpan(spec));
  }
  return spans;
}
