import type { ServiceGraphEdgeView } from '@cairn/contract';
import type { Span } from '../otlp/types.js';

/** An edge of the service graph; the API serves it as is (the contract owns the shape). */
export type ServiceGraphEdge = ServiceGraphEdgeView;

export interface ServiceGraph {
  services: string[];
  edges: ServiceGraphEdge[];
  windowSeconds: number;
}

export interface ServiceGraphOptions {
  /** Window the rates are over; defaults to the span time range (at least one second). */
  windowSeconds?: number;
}

/** Linear-interpolated percentile of an ascending array (p in 0..1). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = (n - 1) * p;
  const low = Math.floor(rank);
  const high = Math.min(n - 1, low + 1);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

/** Name for a service that only appears as the target of a client span. */
export function peerNameOf(span: Span): string | undefined {
  const a = span.attributes;
  const db = a['db.system.name'] ?? a['db.system'];
  const candidates = [a['peer.service'], db, a['server.address'], a['net.peer.name'], a['messaging.system']];
  for (const value of candidates) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

class EdgeAccumulator {
  durations: number[] = [];
  errors = 0;
  constructor(
    readonly caller: string,
    readonly callee: string,
    readonly virtualCallee: boolean
  ) {}
}

/**
 * Service graph from raw spans of many traces: a child in another service than its parent is one call on the
 * edge parent service → child service (latency and error as the callee saw them); a client or producer span with
 * no child in another service is a call to a virtual node named from its peer attributes.
 */
export function buildServiceGraph(spans: readonly Span[], options: ServiceGraphOptions = {}): ServiceGraph {
  // Per-trace maps avoid building a trace+span key string for each of millions of spans.
  const indexByTrace = new Map<string, Map<string, number>>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    let bySpan = indexByTrace.get(span['trace.id']);
    if (bySpan === undefined) {
      bySpan = new Map();
      indexByTrace.set(span['trace.id'], bySpan);
    }
    bySpan.set(span['span.id'], i);
  }
  const hasRemoteChild = new Uint8Array(spans.length);
  const edges = new Map<string, EdgeAccumulator>();
  const services = new Set<string>();
  let minStart = Infinity;
  let maxEnd = -Infinity;
  const record = (caller: string, callee: string, virtual: boolean, span: Span): void => {
    const key = `${caller}\u0000${callee}\u0000${virtual ? 1 : 0}`;
    let edge = edges.get(key);
    if (edge === undefined) {
      edge = new EdgeAccumulator(caller, callee, virtual);
      edges.set(key, edge);
    }
    edge.durations.push(span['duration.us']);
    if (span.status.code === 'error') edge.errors++;
  };
  for (const span of spans) {
    services.add(span['service.name']);
    if (span['start.us'] < minStart) minStart = span['start.us'];
    if (span['end.us'] > maxEnd) maxEnd = span['end.us'];
    const parentId = span['parent.id'];
    if (parentId === undefined) continue;
    const parentIndex = indexByTrace.get(span['trace.id'])?.get(parentId);
    if (parentIndex === undefined) continue;
    const parent = spans[parentIndex] as Span;
    if (parent['service.name'] === span['service.name']) continue;
    hasRemoteChild[parentIndex] = 1;
    record(parent['service.name'], span['service.name'], false, span);
  }
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    if (hasRemoteChild[i] || (span.kind !== 'client' && span.kind !== 'producer')) continue;
    const peer = peerNameOf(span);
    if (peer !== undefined) record(span['service.name'], peer, true, span);
  }
  const windowSeconds = options.windowSeconds ?? Math.max(1, (maxEnd - minStart) / 1e6);
  const result: ServiceGraphEdge[] = [];
  for (const edge of edges.values()) {
    const sorted = Float64Array.from(edge.durations).sort();
    const calls = sorted.length;
    result.push({
      caller: edge.caller,
      callee: edge.callee,
      virtualCallee: edge.virtualCallee,
      calls,
      errors: edge.errors,
      errorRate: edge.errors / calls,
      ratePerSecond: calls / windowSeconds,
      p50Ms: percentileSorted(sorted, 0.5) / 1000,
      p95Ms: percentileSorted(sorted, 0.95) / 1000,
    });
    if (edge.virtualCallee) services.add(edge.callee);
  }
  result.sort((a, b) => b.calls - a.calls || a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee));
  return { services: [...services].sort(), edges: result, windowSeconds };
}
