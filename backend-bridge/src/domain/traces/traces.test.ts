import { describe, expect, it } from 'vitest';
import { analyzeTrace } from './analyzeTrace.js';
import { assembleTrace, assembleTraces, clockSkewDelta, type AssembledTrace } from './assemble.js';
import { computeCriticalPath, computeSelfTimes } from './criticalPath.js';
import { traceErrorPropagation } from './errorPropagation.js';
import { makeSpan, randomTraceSpans, seededRandom, spanIdOf, type SpanSpec } from './syntheticSpans.js';

function build(specs: SpanSpec[], adjustClockSkew = true): AssembledTrace {
  return assembleTrace(specs.map(makeSpan), { adjustClockSkew });
}

function idsOf(trace: AssembledTrace, indexes: readonly number[]): string[] {
  return indexes.map((i) => trace.nodes[i]?.span['span.id'] ?? '?');
}

function criticalById(trace: AssembledTrace): Record<string, number> {
  const path = computeCriticalPath(trace);
  const out: Record<string, number> = {};
  for (const index of path.indexes) out[trace.nodes[index]?.span['span.id'] ?? '?'] = path.criticalUs[index] as number;
  return out;
}

describe('assembleTrace', () => {
  it('builds the tree, flags orphans as extra roots, keeps the first of duplicate span IDs', () => {
    const trace = build([
      { id: 'b', parent: 'root', start: 10, end: 50 },
      { id: 'root', start: 0, end: 100 },
      { id: 'a', parent: 'root', start: 5, end: 20 },
      { id: 'orphan', parent: 'gone', start: 30, end: 40 },
      { id: 'a', parent: 'root', start: 60, end: 70 },
    ]);
    expect(idsOf(trace, trace.roots)).toEqual(['root', 'orphan']);
    expect(trace.nodes.find((n) => n.span['span.id'] === 'orphan')?.missingParent).toBe(true);
    expect(trace.nodes.find((n) => n.span['span.id'] === 'root')?.missingParent).toBe(false);
    expect(idsOf(trace, trace.nodes[1]?.children ?? [])).toEqual(['a', 'b']);
    expect(idsOf(trace, trace.preorder)).toEqual(['root', 'a', 'b', 'orphan']);
    expect(trace.duplicateSpanIds).toEqual(['a']);
    expect(trace.nodes[0]?.depth).toBe(1);
    expect(trace.durationUs).toBe(100);
  });

  it('cuts a parent cycle so every span is reached once', () => {
    const trace = build([
      { id: 'x', parent: 'y', start: 0, end: 10 },
      { id: 'y', parent: 'x', start: 1, end: 9 },
      { id: 'z', parent: 'y', start: 2, end: 3 },
    ]);
    expect(trace.preorder).toHaveLength(3);
    expect(new Set(trace.preorder).size).toBe(3);
    expect(trace.roots).toHaveLength(1);
    expect(trace.nodes[trace.roots[0] ?? -1]?.missingParent).toBe(true);
  });

  it('groups spans by trace ID', () => {
    const traces = assembleTraces([
      makeSpan({ traceId: 'a'.repeat(32), id: '1', start: 0, end: 1 }),
      makeSpan({ traceId: 'b'.repeat(32), id: '1', start: 0, end: 1 }),
      makeSpan({ traceId: 'a'.repeat(32), id: '2', parent: '1', start: 0, end: 1 }),
    ]);
    expect(traces.map((t) => [t.traceId[0], t.nodes.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});

describe('clock skew', () => {
  it('centres a child from another host that does not fit in its parent; its same-host children follow', () => {
    const trace = build([
      { id: 'client', host: 'A', service: 'web', kind: 'client', start: 1000, end: 2000 },
      { id: 'server', parent: 'client', host: 'B', service: 'api', kind: 'server', start: 500, end: 1300 },
      { id: 'query', parent: 'server', host: 'B', service: 'api', start: 600, end: 700 },
      { id: 'local', parent: 'client', host: 'A', service: 'web', start: 2100, end: 2200 },
    ]);
    const [client, server, query, local] = trace.nodes;
    expect(server?.skewUs).toBe(600);
    expect([server?.startUs, server?.endUs]).toEqual([1100, 1900]);
    expect([query?.startUs, query?.endUs]).toEqual([1200, 1300]);
    expect(local?.skewUs).toBe(0);
    expect(client?.skewUs).toBe(0);
    expect(
      idsOf(
        trace,
        computeCriticalPath(trace).segments.map((s) => s.index)
      )
    ).toEqual(['client', 'server', 'query', 'server', 'client']);
  });

  it('leaves fitting children, async consumers and same-clock children alone', () => {
    const trace = build([
      { id: 'p', host: 'A', kind: 'producer', start: 1000, end: 2000 },
      { id: 'fits', parent: 'p', host: 'B', start: 1200, end: 1500 },
      { id: 'consumer', parent: 'p', host: 'C', kind: 'consumer', start: 5000, end: 9000 },
      { id: 'sameHost', parent: 'fits', host: 'B', start: 100, end: 200 },
    ]);
    expect(trace.nodes.map((n) => n.skewUs)).toEqual([0, 0, 0, 0]);
    expect(trace.nodes[2]?.async).toBe(true);
  });

  it('aligns a longer child on its parent start', () => {
    expect(clockSkewDelta(1000, 1100, 900, 1200)).toBe(100);
    expect(clockSkewDelta(1000, 1100, 1050, 1300)).toBe(0);
    expect(clockSkewDelta(1000, 2000, 2500, 2700)).toBe(1000 + 400 - 2500);
  });
});

describe('critical path', () => {
  it('skips an overlapping sibling unless it ends last', () => {
    const trace = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'A', parent: 'root', start: 10, end: 60 },
      { id: 'B', parent: 'root', start: 20, end: 90 },
      { id: 'C', parent: 'root', start: 70, end: 80 },
    ]);
    expect(criticalById(trace)).toEqual({ root: 30, B: 70 });
    expect(idsOf(trace, computeCriticalPath(trace).indexes)).toEqual(['root', 'B']);
  });

  it('follows sequential children back to back', () => {
    const trace = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'A', parent: 'root', start: 0, end: 40 },
      { id: 'B', parent: 'root', start: 40, end: 100 },
      { id: 'B1', parent: 'B', start: 50, end: 60 },
    ]);
    expect(criticalById(trace)).toEqual({ A: 40, B: 50, B1: 10 });
    expect(idsOf(trace, computeCriticalPath(trace).indexes)).toEqual(['A', 'B', 'B1']);
  });

  it('counts async children that outlive their parent only while the parent waits', () => {
    const trace = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'job', parent: 'root', kind: 'consumer', start: 50, end: 300 },
      { id: 'late', parent: 'job', start: 200, end: 250 },
      { id: 'after', parent: 'root', kind: 'consumer', start: 150, end: 200 },
    ]);
    expect(criticalById(trace)).toEqual({ root: 50, job: 50 });
    const self = computeSelfTimes(trace);
    expect(Array.from(self)).toEqual([50, 200, 50, 50]);
    expect(trace.nodes[3]?.async).toBe(true);
  });

  it('walks a 100k-deep chain without overflowing the stack', () => {
    const n = 100_000;
    const specs: SpanSpec[] = [];
    for (let i = 0; i < n; i++) {
      const spec: SpanSpec = { id: spanIdOf(i), start: i, end: 2 * n - i };
      if (i > 0) spec.parent = spanIdOf(i - 1);
      specs.push(spec);
    }
    const analysis = analyzeTrace(build(specs));
    expect(analysis.criticalPath.indexes).toHaveLength(n);
    expect(analysis.criticalPath.segments).toHaveLength(2 * n - 1);
    expect(analysis.selfUs[0]).toBe(2);
    expect(analysis.selfUs[n - 1]).toBe(2);
    expect(analysis.trace.nodes[n - 1]?.depth).toBe(n - 1);
  });

  it('matches a brute-force reference on randomized trees', () => {
    const random = seededRandom(20240611);
    for (let round = 0; round < 300; round++) {
      const spanCount = 1 + Math.floor(random() * 40);
      const trace = assembleTrace(randomTraceSpans({ spanCount, random, asyncChance: 0.2 }));
      const path = computeCriticalPath(trace);
      const reference = referenceCriticalPath(trace);
      expect(path.segments.map((s) => [s.index, s.startUs, s.endUs])).toEqual(reference);
      const root = trace.nodes[path.rootIndex];
      const total = path.segments.reduce((sum, s) => sum + s.endUs - s.startUs, 0);
      expect(total).toBe((root?.endUs ?? 0) - (root?.startUs ?? 0));
      for (let i = 1; i < path.segments.length; i++) {
        expect(path.segments[i]?.startUs).toBe(path.segments[i - 1]?.endUs);
      }
      expect(Array.from(computeSelfTimes(trace))).toEqual(referenceSelfTimes(trace));
    }
  });
});

describe('error propagation', () => {
  it('finds the deepest failed span whose children succeeded, with its exception and chain', () => {
    const trace = build([
      { id: 'root', start: 0, end: 100, status: 'error' },
      { id: 'A', parent: 'root', start: 10, end: 90, status: 'error' },
      { id: 'B', parent: 'A', start: 20, end: 80, exception: { type: 'TimeoutError', message: 'db timeout' } },
      { id: 'C', parent: 'B', start: 30, end: 40, status: 'ok' },
      { id: 'D', parent: 'root', start: 91, end: 95, status: 'error' },
    ]);
    const errors = traceErrorPropagation(trace);
    expect(errors.errorSpanIds).toEqual(['root', 'A', 'B', 'D']);
    expect(errors.origin).toMatchObject({
      spanId: 'B',
      depth: 2,
      chain: ['B', 'A', 'root'],
      exception: { type: 'TimeoutError', message: 'db timeout', 'timestamp.us': 80 },
    });
  });

  it('prefers the earliest failure among equally deep candidates and reports none for clean traces', () => {
    const trace = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'late', parent: 'root', start: 10, end: 90, status: 'error' },
      { id: 'early', parent: 'root', start: 20, end: 30, status: 'error' },
    ]);
    expect(traceErrorPropagation(trace).origin?.spanId).toBe('early');
    expect(traceErrorPropagation(build([{ id: 'ok', start: 0, end: 1 }])).origin).toBeNull();
  });
});

/** Naive recursive definition: the latest-ending unused child before the cursor is critical, by full rescans. */
function referenceCriticalPath(trace: AssembledTrace): number[][] {
  const out: number[][] = [];
  const rootIndex = trace.roots[0] ?? 0;
  const root = trace.nodes[rootIndex];
  if (!root) return out;
  const walk = (index: number, windowStart: number, windowEnd: number): void => {
    const node = trace.nodes[index];
    if (!node) return;
    let cursor = windowEnd;
    const used = new Set<number>();
    for (;;) {
      let best = -1;
      let bestStart = 0;
      let bestEnd = 0;
      for (const child of node.children) {
        const c = trace.nodes[child];
        if (!c || used.has(child)) continue;
        const s = Math.max(c.startUs, windowStart);
        const e = Math.min(c.endUs, windowEnd);
        if (e <= s || e > cursor) continue;
        if (best === -1 || e > bestEnd || (e === bestEnd && (s < bestStart || (s === bestStart && child < best)))) {
          best = child;
          bestStart = s;
          bestEnd = e;
        }
      }
      if (best === -1) break;
      used.add(best);
      out.push([index, bestEnd, cursor]);
      walk(best, bestStart, bestEnd);
      cursor = bestStart;
    }
    out.push([index, windowStart, cursor]);
  };
  walk(rootIndex, root.startUs, root.endUs);
  // Reference emits in reverse time order, empty stretches included.
  return out.filter(([, s, e]) => (e as number) > (s as number)).reverse();
}

/** Self time by enumerating every microsecond of each span and asking whether any child covers it. */
function referenceSelfTimes(trace: AssembledTrace): number[] {
  return trace.nodes.map((node) => {
    let self = 0;
    for (let t = node.startUs; t < node.endUs; t++) {
      const covered = node.children.some((c) => {
        const child = trace.nodes[c];
        return child !== undefined && child.startUs <= t && t < child.endUs;
      });
      if (!covered) self++;
    }
    return self;
  });
}
