import type { RawMasker, RecordProcessor } from '../pipeline/ingest.js';

/** The stages between normalization and indexing, in order: masking first, then template mining. */
export function defaultProcessors(): { processors: RecordProcessor[]; maskRaw?: RawMasker } {
  return { processors: [] };
}
