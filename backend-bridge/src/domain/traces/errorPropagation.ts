import type { Span } from '../otlp/types.js';
import type { AssembledTrace, TraceNode } from './assemble.js';

export interface ExceptionInfo {
  type?: string;
  message?: string;
  stacktrace?: string;
  'timestamp.us': number;
}

export interface ErrorOrigin {
  spanId: string;
  serviceName: string;
  name: string;
  depth: number;
  statusMessage?: string;
  exception?: ExceptionInfo;
  /** Span IDs from the origin up to its root. */
  chain: string[];
}

export interface ErrorPropagation {
  /** Failed spans in tree order (parents first). */
  errorSpanIds: string[];
  /** Most likely start of the failure: the deepest failed span whose children all succeeded. */
  origin: ErrorOrigin | null;
}

/** Failed: error status, or an `exception` event recorded on the span. */
export function isFailedSpan(span: Span): boolean {
  return span.status.code === 'error' || span.events.some((e) => e.name === 'exception');
}

export function exceptionOf(span: Span): ExceptionInfo | undefined {
  const event = span.events.find((e) => e.name === 'exception');
  if (event === undefined) return undefined;
  const info: ExceptionInfo = { 'timestamp.us': event['timestamp.us'] };
  const { attributes } = event;
  const type = attributes['exception.type'];
  const message = attributes['exception.message'];
  const stacktrace = attributes['exception.stacktrace'];
  if (typeof type === 'string') info.type = type;
  if (typeof message === 'string') info.message = message;
  if (typeof stacktrace === 'string') info.stacktrace = stacktrace;
  return info;
}

export function chainToRoot(trace: AssembledTrace, index: number): string[] {
  const chain: string[] = [];
  let current = trace.nodes[index];
  while (current !== undefined) {
    chain.push(current.span['span.id']);
    current = current.parentIndex >= 0 ? trace.nodes[current.parentIndex] : undefined;
  }
  return chain;
}

/** Finds failed spans and the one the failure most likely started in (ties: earliest to fail, then tree order). */
export function traceErrorPropagation(trace: AssembledTrace): ErrorPropagation {
  const failed = new Uint8Array(trace.nodes.length);
  const hasFailedChild = new Uint8Array(trace.nodes.length);
  const errorSpanIds: string[] = [];
  for (const index of trace.preorder) {
    const node = trace.nodes[index] as TraceNode;
    if (!isFailedSpan(node.span)) continue;
    failed[index] = 1;
    errorSpanIds.push(node.span['span.id']);
    if (node.parentIndex >= 0) hasFailedChild[node.parentIndex] = 1;
  }
  let best: TraceNode | undefined;
  let bestFailedAt = Infinity;
  for (const index of trace.preorder) {
    if (!failed[index] || hasFailedChild[index]) continue;
    const node = trace.nodes[index] as TraceNode;
    const failedAt = (exceptionOf(node.span)?.['timestamp.us'] ?? node.span['end.us']) + node.skewUs;
    if (best === undefined || node.depth > best.depth || (node.depth === best.depth && failedAt < bestFailedAt)) {
      best = node;
      bestFailedAt = failedAt;
    }
  }
  if (best === undefined) return { errorSpanIds, origin: null };
  const origin: ErrorOrigin = {
    spanId: best.span['span.id'],
    serviceName: best.span['service.name'],
    name: best.span.name,
    depth: best.depth,
    chain: chainToRoot(trace, best.index),
  };
  if (best.span.status.message) origin.statusMessage = best.span.status.message;
  const exception = exceptionOf(best.span);
  if (exception) origin.exception = exception;
  return { errorSpanIds, origin };
}
