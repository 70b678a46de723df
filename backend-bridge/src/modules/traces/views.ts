import type { LogRecord, TraceResponse, TraceSpanView } from '@cairn/contract';
import type { Span } from '../../domain/otlp/types.js';
import { analyzeTrace, assembleTrace } from '../../domain/traces/index.js';

const US_PER_MS = 1000;

/** An assembled, analysed trace as the API answers it: spans in preorder with their logs beside them. */
export function traceResponseOf(
  traceId: string,
  spans: readonly Span[],
  logs: readonly LogRecord[],
  truncated: boolean
): TraceResponse {
  const trace = assembleTrace(spans);
  const analysis = analyzeTrace(trace);
  const logIndexesBySpan = new Map<string, number[]>();
  logs.forEach((log, i) => {
    const spanId = log.span?.id;
    if (!spanId) return;
    const list = logIndexesBySpan.get(spanId);
    if (list) list.push(i);
    else logIndexesBySpan.set(spanId, [i]);
  });
  const selfTimeMs: Record<string, number> = {};
  const views: TraceSpanView[] = trace.preorder.map((index) => {
    const node = trace.nodes[index];
    if (!node) throw new Error(`assembled trace has no node ${index}`);
    const span = node.span;
    const self = (analysis.selfUs[index] ?? 0) / US_PER_MS;
    selfTimeMs[span['span.id']] = self;
    const view: TraceSpanView = {
      spanId: span['span.id'],
      serviceName: span['service.name'],
      name: span.name,
      kind: span.kind,
      startUs: node.startUs,
      endUs: node.endUs,
      durationMs: (node.endUs - node.startUs) / US_PER_MS,
      depth: node.depth,
      status: span.status,
      attributes: span.attributes,
      resource: span.resource,
      events: span.events,
      links: span.links,
      selfTimeMs: self,
      criticalMs: (analysis.criticalPath.criticalUs[index] ?? 0) / US_PER_MS,
      missingParent: node.missingParent,
      async: node.async,
      skewUs: node.skewUs,
      logIndexes: logIndexesBySpan.get(span['span.id']) ?? [],
    };
    if (span['parent.id'] !== undefined) view.parentId = span['parent.id'];
    return view;
  });
  const spanIdOf = (index: number) => trace.nodes[index]?.span['span.id'] ?? '';
  return {
    traceId,
    startTime: new Date(Math.floor(trace.startUs / US_PER_MS)).toISOString(),
    durationMs: trace.durationUs / US_PER_MS,
    services: trace.services,
    spanCount: trace.nodes.length,
    roots: trace.roots.map(spanIdOf),
    spans: views,
    criticalPath: analysis.criticalPath.indexes.map(spanIdOf),
    selfTimeMs,
    bottlenecks: analysis.bottlenecks,
    errorSpanIds: analysis.errors.errorSpanIds,
    errorOrigin: analysis.errors.origin,
    logs: [...logs],
    truncated,
  };
}
