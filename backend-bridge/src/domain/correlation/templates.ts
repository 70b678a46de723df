import type { CorrelatedTemplate } from '@cairn/contract';

/** Per service and template: line counts in the baseline span and in the two windows around an onset. */
export interface TemplateWindowCounts {
  service: string;
  templateId: string;
  pattern: string | null;
  baseline: number;
  preceding: number;
  same: number;
}

export interface TemplateRankingOptions {
  /** Length of the baseline span in windows (e.g. 60 minutes / 10-minute windows = 6). */
  baselineWindows: number;
  /** Only templates at least this surprising (|z|) are returned. */
  minAbsZ: number;
  limit: number;
}

/**
 * R1 for patterns: which templates changed in the preceding or the same window, by a Poisson z of the busier
 * window against the template's rate in the baseline span (with a pseudo-count, so a brand-new template that
 * logs a handful of lines ranks, but a single line does not dominate).
 */
export function rankTemplateChanges(
  counts: readonly TemplateWindowCounts[],
  o: TemplateRankingOptions
): CorrelatedTemplate[] {
  const out: CorrelatedTemplate[] = [];
  for (const c of counts) {
    const expected = c.baseline / Math.max(1, o.baselineWindows);
    const zOf = (observed: number): number => (observed - expected) / Math.sqrt(expected + 1);
    const zPre = zOf(c.preceding);
    const zSame = zOf(c.same);
    const preceding = Math.abs(zPre) >= Math.abs(zSame);
    const z = preceding ? zPre : zSame;
    if (Math.abs(z) < o.minAbsZ) continue;
    out.push({
      service: c.service,
      templateId: c.templateId,
      pattern: c.pattern,
      expected,
      preceding: c.preceding,
      same: c.same,
      z,
      isNew: c.baseline === 0,
      window: preceding ? 'preceding' : 'same',
    });
  }
  out.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  return out.slice(0, o.limit);
}
