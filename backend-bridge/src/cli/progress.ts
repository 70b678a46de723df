import type { Writable } from 'node:stream';
import type { PipelineMetrics } from '../observability/metrics.js';

/** Live pipeline progress on a terminal (one rewritten line) or a log (a line every 10 s). */
export function startProgress(metrics: PipelineMetrics, out: Writable & { isTTY?: boolean }, extra?: () => string): () => void {
  const tty = Boolean(out.isTTY);
  const intervalMs = tty ? 1000 : 10_000;
  let lastIn = metrics.linesIn.total();
  let lastOut = metrics.linesOut.total();
  let lastAt = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const seconds = (now - lastAt) / 1000;
    const inTotal = metrics.linesIn.total();
    const outTotal = metrics.linesOut.total();
    const line =
      `in ${Math.round((inTotal - lastIn) / seconds)}/s · indexed ${Math.round((outTotal - lastOut) / seconds)}/s ` +
      `(total ${outTotal}) · lag ${metrics.lagTotal.get()} · DLQ ${metrics.dlq.total()} · dropped ${metrics.linesDropped.total()} · ` +
      `retries ${metrics.retries.total()}${metrics.paused.get() ? ' · PAUSED (backpressure)' : ''}${extra ? ` · ${extra()}` : ''}`;
    out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    lastIn = inTotal;
    lastOut = outTotal;
    lastAt = now;
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (tty) out.write('\n');
  };
}

/** Resolves on the first SIGINT/SIGTERM, so Ctrl-C stops everything cleanly. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
