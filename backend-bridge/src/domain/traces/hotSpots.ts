import type { CodeHotSpotView } from '@cairn/contract';
import type { Attributes } from '../otlp/types.js';
import type { TraceAnalysis } from './analyzeTrace.js';
import { percentileSorted } from './serviceGraph.js';

/** A function in the code, ranked by the time it held requests up (W7); the contract owns the shape. */
export type CodeHotSpot = CodeHotSpotView;

function text(attributes: Attributes, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function integer(attributes: Attributes, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  return undefined;
}

/** code.function / code.filepath (and their newer code.function.name / code.file.path names) across traces. */
export function rankCodeHotSpots(analyses: readonly TraceAnalysis[], limit = 20): CodeHotSpot[] {
  const spots = new Map<string, { spot: CodeHotSpot; durationsUs: number[] }>();
  for (const { trace, criticalPath, selfUs } of analyses) {
    for (const node of trace.nodes) {
      const a = node.span.attributes;
      const fn = text(a, 'code.function.name', 'code.function');
      if (fn === undefined) continue;
      const namespace = text(a, 'code.namespace');
      const qualified = namespace && !fn.startsWith(`${namespace}.`) ? `${namespace}.${fn}` : fn;
      const filepath = text(a, 'code.file.path', 'code.filepath');
      const key = `${node.span['service.name']}\u0000${qualified}\u0000${filepath ?? ''}`;
      let entry = spots.get(key);
      if (entry === undefined) {
        const spot: CodeHotSpot = {
          function: qualified,
          service: node.span['service.name'],
          calls: 0,
          criticalMs: 0,
          selfMs: 0,
          p95Ms: 0,
        };
        if (filepath !== undefined) spot.filepath = filepath;
        const lineno = integer(a, 'code.line.number', 'code.lineno');
        if (lineno !== undefined) spot.lineno = lineno;
        entry = { spot, durationsUs: [] };
        spots.set(key, entry);
      }
      entry.spot.calls++;
      entry.spot.criticalMs += (criticalPath.criticalUs[node.index] as number) / 1000;
      entry.spot.selfMs += (selfUs[node.index] as number) / 1000;
      entry.durationsUs.push(node.endUs - node.startUs);
    }
  }
  const result = [...spots.values()].map(({ spot, durationsUs }) => ({
    ...spot,
    p95Ms: percentileSorted(Float64Array.from(durationsUs).sort(), 0.95) / 1000,
  }));
  return result
    .sort((a, b) => b.criticalMs - a.criticalMs || b.selfMs - a.selfMs || a.function.localeCompare(b.function))
    .slice(0, limit);
}
