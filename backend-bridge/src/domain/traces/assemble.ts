import type { Span } from '../otlp/types.js';

/** One span in an assembled trace; times are corrected for clock skew, the span itself is untouched. */
export interface TraceNode {
  span: Span;
  index: number;
  /** -1 for roots. */
  parentIndex: number;
  /** Child indexes ordered by corrected start time. */
  children: number[];
  depth: number;
  startUs: number;
  endUs: number;
  /** Shift applied to this span's clock (corrected = reported + skewUs). */
  skewUs: number;
  /** The span names a parent that is not in the trace (or that closed a parent cycle). */
  missingParent: boolean;
  /** Async child: producer/consumer hop, linked, or started after its parent ended. */
  async: boolean;
}

/** A link from a span to another span (follows-from, batch), resolved when the target is in this trace. */
export interface TraceLink {
  fromIndex: number;
  traceId: string;
  spanId: string;
  targetIndex: number;
}

export interface AssembledTrace {
  traceId: string;
  nodes: TraceNode[];
  /** Root indexes: true roots first (earliest start), then orphans whose parent is missing. */
  roots: number[];
  /** Parents before children, roots in `roots` order; reverse it for bottom-up passes. */
  preorder: number[];
  links: TraceLink[];
  startUs: number;
  endUs: number;
  durationUs: number;
  services: string[];
  /** Span IDs seen more than once; the first copy is kept. */
  duplicateSpanIds: string[];
}

export interface AssembleOptions {
  /** Correct clock skew between hosts (default true). */
  adjustClockSkew?: boolean;
}

/** The clock a span was timed with: its host when the resource says so, else its service instance or service. */
export function clockKeyOf(span: Span): string {
  const r = span.resource;
  const host = r['host.id'] ?? r['host.name'] ?? r['service.instance.id'];
  return typeof host === 'string' && host !== '' ? `host:${host}` : `service:${span['service.name']}`;
}

function isAsyncHop(parent: Span, child: Span): boolean {
  if (parent.kind === 'producer' || child.kind === 'consumer') return true;
  return child.links.some((l) => l['span.id'] === parent['span.id'] && l['trace.id'] === parent['trace.id']);
}

/**
 * Jaeger's adjuster: a child timed on another clock that does not fit inside its (already corrected) parent
 * is centred in it, assuming equal network latency both ways; a longer child is aligned on the parent's start.
 */
export function clockSkewDelta(
  parentStartUs: number,
  parentEndUs: number,
  childStartUs: number,
  childEndUs: number
): number {
  const parentDuration = parentEndUs - parentStartUs;
  const childDuration = childEndUs - childStartUs;
  if (childDuration > parentDuration) return childStartUs < parentStartUs ? parentStartUs - childStartUs : 0;
  if (childStartUs >= parentStartUs && childEndUs <= parentEndUs) return 0;
  const latency = Math.floor((parentDuration - childDuration) / 2);
  return parentStartUs + latency - childStartUs;
}

/** Groups spans by trace ID and assembles each trace. */
export function assembleTraces(spans: Iterable<Span>, options: AssembleOptions = {}): AssembledTrace[] {
  const byTrace = new Map<string, Span[]>();
  for (const span of spans) {
    const list = byTrace.get(span['trace.id']);
    if (list) list.push(span);
    else byTrace.set(span['trace.id'], [span]);
  }
  return [...byTrace.values()].map((list) => assembleTrace(list, options));
}

/** Builds one trace's span tree: orphans become flagged roots, parent cycles are broken, clock skew corrected. */
export function assembleTrace(spans: readonly Span[], options: AssembleOptions = {}): AssembledTrace {
  const first = spans[0];
  if (first === undefined) throw new Error('assembleTrace needs at least one span');
  const traceId = first['trace.id'];
  const indexById = new Map<string, number>();
  const nodes: TraceNode[] = [];
  const duplicateSpanIds: string[] = [];
  for (const span of spans) {
    if (span['trace.id'] !== traceId) throw new Error(`span ${span['span.id']} belongs to trace ${span['trace.id']}`);
    const sizeBefore = indexById.size;
    indexById.set(span['span.id'], indexById.get(span['span.id']) ?? nodes.length);
    if (indexById.size === sizeBefore) {
      duplicateSpanIds.push(span['span.id']);
      continue;
    }
    nodes.push({
      span,
      index: nodes.length,
      parentIndex: -1,
      children: [],
      depth: 0,
      startUs: span['start.us'],
      endUs: span['end.us'],
      skewUs: 0,
      missingParent: false,
      async: false,
    });
  }

  const trueRoots: number[] = [];
  const orphans: number[] = [];
  for (const node of nodes) {
    const parentId = node.span['parent.id'];
    const parentIndex = parentId === undefined ? undefined : indexById.get(parentId);
    if (parentIndex === undefined || parentIndex === node.index) {
      node.missingParent = parentId !== undefined;
      (node.missingParent ? orphans : trueRoots).push(node.index);
    } else {
      node.parentIndex = parentIndex;
      nodes[parentIndex]?.children.push(node.index);
    }
  }
  const byStart = (a: number, b: number): number => {
    const na = nodes[a];
    const nb = nodes[b];
    return na && nb ? na.span['start.us'] - nb.span['start.us'] || a - b : 0;
  };
  trueRoots.sort(byStart);
  orphans.sort(byStart);
  const roots = [...trueRoots, ...orphans];

  const visited = new Uint8Array(nodes.length);
  const preorder: number[] = [];
  const walk = (root: number): void => {
    const stack = [root];
    while (stack.length > 0) {
      const index = stack.pop() as number;
      const node = nodes[index];
      if (node === undefined || visited[index]) continue;
      visited[index] = 1;
      preorder.push(index);
      for (let c = node.children.length - 1; c >= 0; c--) stack.push(node.children[c] as number);
    }
  };
  for (const root of roots) walk(root);
  if (preorder.length < nodes.length) breakParentCycles(nodes, visited, roots, walk);

  const adjust = options.adjustClockSkew ?? true;
  const clockKeys: (string | undefined)[] = [];
  const clockKey = (n: TraceNode): string => (clockKeys[n.index] ??= clockKeyOf(n.span));
  for (const index of preorder) {
    const node = nodes[index] as TraceNode;
    const parent = node.parentIndex >= 0 ? nodes[node.parentIndex] : undefined;
    if (parent === undefined) continue;
    node.depth = parent.depth + 1;
    node.async = isAsyncHop(parent.span, node.span);
    if (adjust) {
      // Spans of one resource (one SDK process) share a clock; compare keys only across resources.
      if (node.span.resource === parent.span.resource || clockKey(node) === clockKey(parent)) {
        node.skewUs = parent.skewUs;
      } else if (!node.async) {
        node.skewUs = clockSkewDelta(parent.startUs, parent.endUs, node.span['start.us'], node.span['end.us']);
      }
      node.startUs = node.span['start.us'] + node.skewUs;
      node.endUs = node.span['end.us'] + node.skewUs;
    }
    if (node.startUs >= parent.endUs && parent.endUs > parent.startUs) node.async = true;
  }
  const compare = byCorrectedStart(nodes);
  let reordered = false;
  for (const node of nodes) {
    const { children } = node;
    for (let c = 1; c < children.length; c++) {
      // Spans usually arrive in start order: sort only the child lists that are not.
      if (compare(children[c - 1] as number, children[c] as number) > 0) {
        children.sort(compare);
        reordered = true;
        break;
      }
    }
  }
  if (reordered) {
    // Walk again so the published preorder follows the corrected child order.
    visited.fill(0);
    preorder.length = 0;
    for (const root of roots) walk(root);
  }

  const links: TraceLink[] = [];
  let startUs = Infinity;
  let endUs = -Infinity;
  const services = new Set<string>();
  for (const node of nodes) {
    if (node.startUs < startUs) startUs = node.startUs;
    if (node.endUs > endUs) endUs = node.endUs;
    services.add(node.span['service.name']);
    for (const link of node.span.links) {
      const target = link['trace.id'] === traceId ? indexById.get(link['span.id']) : undefined;
      links.push({
        fromIndex: node.index,
        traceId: link['trace.id'],
        spanId: link['span.id'],
        targetIndex: target ?? -1,
      });
    }
  }
  return {
    traceId,
    nodes,
    roots,
    preorder,
    links,
    startUs,
    endUs,
    durationUs: endUs - startUs,
    services: [...services].sort(),
    duplicateSpanIds,
  };
}

function byCorrectedStart(nodes: readonly TraceNode[]): (a: number, b: number) => number {
  return (a, b) => {
    const na = nodes[a];
    const nb = nodes[b];
    return na && nb ? na.startUs - nb.startUs || a - b : 0;
  };
}

/** Nodes no root reaches sit under a parent cycle: cut each cycle at one member, which becomes a flagged root. */
function breakParentCycles(
  nodes: TraceNode[],
  visited: Uint8Array,
  roots: number[],
  walk: (root: number) => void
): void {
  const seenInClimb = new Int32Array(nodes.length).fill(-1);
  for (const start of nodes) {
    if (visited[start.index]) continue;
    let current = start.index;
    // Climb parents until a node repeats: that node is on the cycle.
    while (seenInClimb[current] !== start.index) {
      seenInClimb[current] = start.index;
      current = (nodes[current] as TraceNode).parentIndex;
    }
    const member = nodes[current] as TraceNode;
    const parent = nodes[member.parentIndex];
    if (parent) parent.children = parent.children.filter((c) => c !== current);
    member.parentIndex = -1;
    member.missingParent = true;
    roots.push(current);
    walk(current);
  }
}
