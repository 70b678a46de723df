import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { SIGNALS_INDEX } from '@cairn/contract';
import { listServices } from '../../adapters/elasticsearch/signalQueries.js';
import { SignalEngine } from '../../domain/baselines/signalEngine.js';
import { runSignalRange } from './run.js';
import { tierResolver, type TiersConfig } from './tiers.js';

export interface RebuildOptions {
  logsIndex: string;
  signalsIndex?: string;
  /** What the user asked for (e.g. "28d"): a checkpoint is only resumed for the same request. */
  since: string;
  fromMs: number;
  toMs: number;
  services?: string[];
  servicePrefix?: string;
  tiers: TiersConfig;
  /** Progress is saved here after each service; absent = not resumable. */
  checkpointFile?: string;
  /** Ignore (and overwrite) an existing checkpoint. */
  restart?: boolean;
  chunkMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: RebuildProgress) => void;
}

export interface RebuildProgress {
  servicesDone: number;
  servicesTotal: number;
  service: string;
  /** 0..1 through the current service's range. */
  serviceFraction: number;
  signalsWritten: number;
  resumedServices: number;
}

export interface RebuildCheckpoint {
  version: 1;
  since: string;
  logsIndex: string;
  signalsIndex: string;
  fromMs: number;
  toMs: number;
  services: string[];
  done: string[];
  signalsWritten: number;
}

export interface RebuildResult {
  fromMs: number;
  toMs: number;
  services: number;
  resumedServices: number;
  signalsWritten: number;
}

function saveCheckpoint(file: string, c: RebuildCheckpoint): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(c));
  renameSync(tmp, file);
}

function loadCheckpoint(file: string): RebuildCheckpoint | undefined {
  if (!existsSync(file)) return undefined;
  const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<RebuildCheckpoint>;
  if (c.version !== 1 || !Array.isArray(c.done) || !Array.isArray(c.services))
    throw new Error(`${file} is not a baselines checkpoint`);
  return c as RebuildCheckpoint;
}

/**
 * P4 batch recompute: per service, replays [from, to) from the logs through a fresh engine and (over)writes every
 * signal with its deterministic ID. A checkpoint after each service makes an interrupted run resume where it
 * stopped, with the same time range as the first attempt.
 */
export async function rebuildSignals(es: Client, o: RebuildOptions): Promise<RebuildResult> {
  const signalsIndex = o.signalsIndex ?? SIGNALS_INDEX;
  let checkpoint = o.checkpointFile && !o.restart ? loadCheckpoint(o.checkpointFile) : undefined;
  if (
    checkpoint &&
    (checkpoint.since !== o.since || checkpoint.logsIndex !== o.logsIndex || checkpoint.signalsIndex !== signalsIndex)
  ) {
    throw new Error(
      `checkpoint ${o.checkpointFile} is for --since ${checkpoint.since} over ${checkpoint.logsIndex}; pass --restart to start over`
    );
  }
  if (!checkpoint) {
    const services = o.services ?? (await listServices(es, o.logsIndex, o.fromMs, o.toMs, o.servicePrefix));
    checkpoint = {
      version: 1,
      since: o.since,
      logsIndex: o.logsIndex,
      signalsIndex,
      fromMs: o.fromMs,
      toMs: o.toMs,
      services,
      done: [],
      signalsWritten: 0,
    };
    if (o.checkpointFile) saveCheckpoint(o.checkpointFile, checkpoint);
  }
  const c = checkpoint;
  const resumedServices = c.done.length;
  const done = new Set(c.done);
  const tierOf = tierResolver(o.tiers);
  for (const service of c.services) {
    if (done.has(service)) continue;
    const report = (fraction: number): void =>
      o.onProgress?.({
        servicesDone: done.size,
        servicesTotal: c.services.length,
        service,
        serviceFraction: fraction,
        signalsWritten: c.signalsWritten,
        resumedServices,
      });
    report(0);
    const engine = new SignalEngine(tierOf);
    const written = await runSignalRange(es, engine, {
      logsIndex: c.logsIndex,
      signalsIndex: c.signalsIndex,
      fromMs: c.fromMs,
      toMs: c.toMs,
      services: [service],
      chunkMs: o.chunkMs ?? 86_400_000,
      write: true,
      signal: o.signal,
      onChunk: (doneMs) => report((doneMs - c.fromMs) / Math.max(1, c.toMs - c.fromMs)),
    });
    done.add(service);
    c.done.push(service);
    c.signalsWritten += written;
    if (o.checkpointFile) saveCheckpoint(o.checkpointFile, c);
  }
  o.onProgress?.({
    servicesDone: done.size,
    servicesTotal: c.services.length,
    service: '',
    serviceFraction: 1,
    signalsWritten: c.signalsWritten,
    resumedServices,
  });
  await es.indices.refresh({ index: c.signalsIndex, ignore_unavailable: true });
  if (o.checkpointFile) rmSync(o.checkpointFile, { force: true });
  return {
    fromMs: c.fromMs,
    toMs: c.toMs,
    services: c.services.length,
    resumedServices,
    signalsWritten: c.signalsWritten,
  };
}
