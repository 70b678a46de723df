import type { AssembledTrace, TraceNode } from './assemble.js';

/** A stretch of time during which one span alone held up the root. */
export interface CriticalSegment {
  index: number;
  startUs: number;
  endUs: number;
}

export interface CriticalPath {
  rootIndex: number;
  /** Time-ordered; they tile the root's window exactly. */
  segments: CriticalSegment[];
  /** Distinct node indexes in the order they first become critical. */
  indexes: number[];
  /** Microseconds each node spends on the critical path (0 when off it or outside the root's subtree). */
  criticalUs: Float64Array;
}

/**
 * Each child's window clipped to its parent's (Jaeger's sanitising): async children that outlive the parent
 * count only while the parent waits; children wholly outside it (or empty) are left out (window start = NaN).
 */
export function clippedWindows(
  trace: AssembledTrace,
  rootIndex: number
): { startUs: Float64Array; endUs: Float64Array; order: number[] } {
  const count = trace.nodes.length;
  const startUs = new Float64Array(count).fill(NaN);
  const endUs = new Float64Array(count).fill(NaN);
  const root = trace.nodes[rootIndex];
  const order: number[] = [];
  if (root === undefined) return { startUs, endUs, order };
  startUs[rootIndex] = root.startUs;
  endUs[rootIndex] = root.endUs;
  const stack = [rootIndex];
  while (stack.length > 0) {
    const index = stack.pop() as number;
    order.push(index);
    const node = trace.nodes[index] as TraceNode;
    const windowStart = startUs[index] as number;
    const windowEnd = endUs[index] as number;
    for (const childIndex of node.children) {
      const child = trace.nodes[childIndex] as TraceNode;
      const s = Math.max(child.startUs, windowStart);
      const e = Math.min(child.endUs, windowEnd);
      if (e <= s) continue;
      startUs[childIndex] = s;
      endUs[childIndex] = e;
      stack.push(childIndex);
    }
  }
  return { startUs, endUs, order };
}

/**
 * Critical path of the subtree under rootIndex, walking back from the root's end: the child that finishes last
 * before the cursor is critical, the cursor jumps to its start; siblings overlapping it are skipped for good.
 * Children sorted once by end (per parent) and one pointer per parent keep this O(n log n); no recursion.
 */
export function computeCriticalPath(trace: AssembledTrace, rootIndex: number = trace.roots[0] ?? 0): CriticalPath {
  const { startUs, endUs, order } = clippedWindows(trace, rootIndex);
  const count = trace.nodes.length;
  const criticalUs = new Float64Array(count);
  const sortedChildren: number[][] = new Array<number[]>(count);
  for (const index of order) {
    const kept = (trace.nodes[index] as TraceNode).children.filter((c) => !Number.isNaN(startUs[c] as number));
    kept.sort(
      (a, b) => (endUs[b] as number) - (endUs[a] as number) || (startUs[a] as number) - (startUs[b] as number) || a - b
    );
    sortedChildren[index] = kept;
  }
  const reversedSegments: CriticalSegment[] = [];
  if (order.length === 0) return { rootIndex, segments: [], indexes: [], criticalUs };

  const frameNode: number[] = [rootIndex];
  const frameCursor: number[] = [endUs[rootIndex] as number];
  const frameNext: number[] = [0];
  while (frameNode.length > 0) {
    const top = frameNode.length - 1;
    const index = frameNode[top] as number;
    const cursor = frameCursor[top] as number;
    const children = sortedChildren[index] ?? [];
    let next = frameNext[top] as number;
    while (next < children.length && (endUs[children[next] as number] as number) > cursor) next++;
    if (next < children.length) {
      const child = children[next] as number;
      frameNext[top] = next + 1;
      const childEnd = endUs[child] as number;
      if (childEnd < cursor) reversedSegments.push({ index, startUs: childEnd, endUs: cursor });
      frameCursor[top] = startUs[child] as number;
      frameNode.push(child);
      frameCursor.push(childEnd);
      frameNext.push(0);
    } else {
      const windowStart = startUs[index] as number;
      if (windowStart < cursor) reversedSegments.push({ index, startUs: windowStart, endUs: cursor });
      frameNode.pop();
      frameCursor.pop();
      frameNext.pop();
    }
  }
  const segments = reversedSegments.reverse();
  const indexes: number[] = [];
  for (const segment of segments) {
    if (criticalUs[segment.index] === 0) indexes.push(segment.index);
    criticalUs[segment.index] = (criticalUs[segment.index] as number) + segment.endUs - segment.startUs;
  }
  return { rootIndex, segments, indexes, criticalUs };
}

/** Self time: a span's duration minus the union of its children's time inside it (overlaps counted once). */
export function computeSelfTimes(trace: AssembledTrace): Float64Array {
  const selfUs = new Float64Array(trace.nodes.length);
  for (const node of trace.nodes) {
    let covered = 0;
    let runStart = NaN;
    let runEnd = NaN;
    // children are ordered by corrected start, so one sweep merges the overlapping ones.
    for (const childIndex of node.children) {
      const child = trace.nodes[childIndex] as TraceNode;
      const s = Math.max(child.startUs, node.startUs);
      const e = Math.min(child.endUs, node.endUs);
      if (e <= s) continue;
      if (Number.isNaN(runStart) || s > runEnd) {
        if (!Number.isNaN(runStart)) covered += runEnd - runStart;
        runStart = s;
        runEnd = e;
      } else if (e > runEnd) runEnd = e;
    }
    if (!Number.isNaN(runStart)) covered += runEnd - runStart;
    selfUs[node.index] = node.endUs - node.startUs - covered;
  }
  return selfUs;
}
