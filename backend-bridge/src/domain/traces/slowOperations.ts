import type { SlowOperationView } from '@cairn/contract';
import type { Span } from '../otlp/types.js';
import type { AssembledTrace, TraceNode } from './assemble.js';
import { computeCriticalPath } from './criticalPath.js';
import { percentileSorted } from './serviceGraph.js';

/** An endpoint or DB statement ranked by its share of its callers' slow tail (the contract owns the shape). */
export type SlowOperation = SlowOperationView;
export type OperationKind = SlowOperationView['kind'];

export interface SlowOperations {
  endpoints: SlowOperation[];
  statements: SlowOperation[];
}

/** Literals out of a statement so one query shape is one operation. */
export function normalizeStatement(statement: string): string {
  return statement
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

export function statementOf(span: Span): string | undefined {
  const text = span.attributes['db.query.text'] ?? span.attributes['db.statement'];
  return typeof text === 'string' && text !== '' ? text : undefined;
}

function isEndpoint(node: TraceNode): boolean {
  return node.parentIndex < 0 || node.span.kind === 'server' || node.span.kind === 'consumer';
}

function endpointName(span: Span): string {
  return `${span['service.name']} ${span.name}`;
}

function operationOf(node: TraceNode): { kind: OperationKind; key: string; operation: string } | undefined {
  const statement = statementOf(node.span);
  if (statement !== undefined) {
    const operation = normalizeStatement(statement);
    return { kind: 'db', key: `db\u0000${node.span['service.name']}\u0000${operation}`, operation };
  }
  if (isEndpoint(node)) {
    const operation = endpointName(node.span);
    return { kind: 'endpoint', key: `endpoint\u0000${operation}`, operation };
  }
  return undefined;
}

interface CallerInstance {
  durationUs: number;
  contributionUs: Map<string, number>;
}

interface OperationStats {
  kind: OperationKind;
  operation: string;
  service: string;
  durationsUs: number[];
  p95Ms?: number;
}

/**
 * For each endpoint call, the critical path of its subtree says how long each operation under it (before the
 * next endpoint down) held it up; averaged over the caller's calls at or above its p95, that is the operation's
 * contribution to the caller's p95 (W5). Endpoints nested in endpoints make this O(n × nesting depth).
 */
export function rankSlowOperations(traces: readonly AssembledTrace[], limit = 20): SlowOperations {
  const callers = new Map<string, CallerInstance[]>();
  const operations = new Map<string, OperationStats>();
  for (const trace of traces) {
    for (const endpointIndex of trace.preorder) {
      const endpoint = trace.nodes[endpointIndex] as TraceNode;
      if (!isEndpoint(endpoint)) continue;
      const path = computeCriticalPath(trace, endpointIndex);
      const contributionUs = new Map<string, number>();
      // Walk the endpoint's subtree, stopping under operations so a query's time is not counted twice.
      const stack: number[] = [...endpoint.children];
      while (stack.length > 0) {
        const index = stack.pop() as number;
        const node = trace.nodes[index] as TraceNode;
        const op = operationOf(node);
        if (op === undefined) {
          for (const c of node.children) stack.push(c);
          continue;
        }
        let subtreeUs = 0;
        const inner = [index];
        while (inner.length > 0) {
          const i = inner.pop() as number;
          subtreeUs += path.criticalUs[i] as number;
          for (const c of (trace.nodes[i] as TraceNode).children) inner.push(c);
        }
        contributionUs.set(op.key, (contributionUs.get(op.key) ?? 0) + subtreeUs);
        let stats = operations.get(op.key);
        if (stats === undefined) {
          stats = { kind: op.kind, operation: op.operation, service: node.span['service.name'], durationsUs: [] };
          operations.set(op.key, stats);
        }
        stats.durationsUs.push(node.endUs - node.startUs);
      }
      const callerName = endpointName(endpoint.span);
      const list = callers.get(callerName) ?? [];
      list.push({ durationUs: endpoint.endUs - endpoint.startUs, contributionUs });
      callers.set(callerName, list);
    }
  }
  const endpoints: SlowOperation[] = [];
  const statements: SlowOperation[] = [];
  for (const [caller, instances] of callers) {
    const sorted = Float64Array.from(instances.map((i) => i.durationUs)).sort();
    const p95 = percentileSorted(sorted, 0.95);
    const tail = instances.filter((i) => i.durationUs >= p95);
    const totals = new Map<string, number>();
    for (const instance of tail) {
      for (const [key, us] of instance.contributionUs) totals.set(key, (totals.get(key) ?? 0) + us);
    }
    for (const [key, totalUs] of totals) {
      const stats = operations.get(key);
      if (stats === undefined || totalUs <= 0) continue;
      const contributionMs = totalUs / tail.length / 1000;
      const p95Ms = (stats.p95Ms ??= percentileSorted(Float64Array.from(stats.durationsUs).sort(), 0.95) / 1000);
      const entry: SlowOperation = {
        kind: stats.kind,
        operation: stats.operation,
        service: stats.service,
        caller,
        callerP95Ms: p95 / 1000,
        tailCalls: tail.length,
        contributionMs,
        shareOfCallerP95: p95 > 0 ? contributionMs / (p95 / 1000) : 0,
        calls: stats.durationsUs.length,
        p95Ms,
      };
      (stats.kind === 'db' ? statements : endpoints).push(entry);
    }
  }
  const byContribution = (a: SlowOperation, b: SlowOperation): number =>
    b.contributionMs - a.contributionMs || a.operation.localeCompare(b.operation);
  return {
    endpoints: endpoints.sort(byContribution).slice(0, limit),
    statements: statements.sort(byContribution).slice(0, limit),
  };
}
