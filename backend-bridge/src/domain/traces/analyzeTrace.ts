import type { AssembledTrace, TraceNode } from './assemble.js';
import { computeCriticalPath, computeSelfTimes, type CriticalPath } from './criticalPath.js';
import { traceErrorPropagation, type ErrorPropagation } from './errorPropagation.js';

export interface Bottleneck {
  spanId: string;
  serviceName: string;
  name: string;
  criticalMs: number;
  selfMs: number;
  /** Share of the root's duration this span alone held the request up. */
  share: number;
}

export interface TraceAnalysis {
  trace: AssembledTrace;
  criticalPath: CriticalPath;
  selfUs: Float64Array;
  bottlenecks: Bottleneck[];
  errors: ErrorPropagation;
}

const US_PER_MS = 1000;

/** Spans ranked by the time they alone held up the root (their critical-path time). */
export function rankBottlenecks(
  trace: AssembledTrace,
  criticalPath: CriticalPath,
  selfUs: Float64Array,
  limit = 10
): Bottleneck[] {
  const root = trace.nodes[criticalPath.rootIndex];
  const rootDurationUs = root ? root.endUs - root.startUs : 0;
  return criticalPath.indexes
    .slice()
    .sort((a, b) => (criticalPath.criticalUs[b] as number) - (criticalPath.criticalUs[a] as number) || a - b)
    .slice(0, limit)
    .map((index) => {
      const node = trace.nodes[index] as TraceNode;
      const criticalUs = criticalPath.criticalUs[index] as number;
      return {
        spanId: node.span['span.id'],
        serviceName: node.span['service.name'],
        name: node.span.name,
        criticalMs: criticalUs / US_PER_MS,
        selfMs: (selfUs[index] as number) / US_PER_MS,
        share: rootDurationUs > 0 ? criticalUs / rootDurationUs : 0,
      };
    });
}

/** Critical path of the main root, self times, bottlenecks and the error origin of one assembled trace. */
export function analyzeTrace(trace: AssembledTrace, bottleneckLimit = 10): TraceAnalysis {
  const criticalPath = computeCriticalPath(trace);
  const selfUs = computeSelfTimes(trace);
  return {
    trace,
    criticalPath,
    selfUs,
    bottlenecks: rankBottlenecks(trace, criticalPath, selfUs, bottleneckLimit),
    errors: traceErrorPropagation(trace),
  };
}
