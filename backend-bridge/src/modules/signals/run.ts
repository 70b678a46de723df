import type { Client } from '@elastic/elasticsearch';
import { SIGNALS_INDEX } from '@cairn/contract';
import { extractMinuteMetrics, writeSignals } from '../../adapters/elasticsearch/signalQueries.js';
import type { SignalEngine } from '../../domain/baselines/signalEngine.js';

export interface SignalRunOptions {
  logsIndex: string;
  signalsIndex?: string;
  fromMs: number;
  toMs: number;
  services?: string[];
  servicePrefix?: string;
  /** Time chunk fetched and scored at once (bounded memory). */
  chunkMs?: number;
  /** False while warming state from history: score but do not write. */
  write: boolean;
  signal?: AbortSignal;
  onChunk?: (doneMs: number, docs: number) => void;
}

const MINUTE_MS = 60_000;

/** Extracts per-minute metrics for [fromMs, toMs) chunk by chunk, scores them in order, writes the signals. */
export async function runSignalRange(es: Client, engine: SignalEngine, o: SignalRunOptions): Promise<number> {
  const chunk = Math.max(MINUTE_MS, o.chunkMs ?? 6 * 3_600_000);
  let written = 0;
  for (let from = o.fromMs; from < o.toMs; from += chunk) {
    if (o.signal?.aborted) throw new Error('aborted');
    const to = Math.min(o.toMs, from + chunk);
    const metrics = await extractMinuteMetrics(
      es,
      { index: o.logsIndex, fromMs: from, toMs: to, services: o.services, servicePrefix: o.servicePrefix },
      o.signal
    );
    const docs = engine.process(metrics, from, to);
    if (o.write && docs.length > 0) {
      await writeSignals(es, docs, o.signalsIndex ?? SIGNALS_INDEX, o.signal);
      written += docs.length;
    }
    o.onChunk?.(to, docs.length);
  }
  return written;
}
