import { SIGNALS_INDEX } from '@cairn/contract';
import type { BridgeContext, BridgeModule } from '../../bridge/module.js';
import { SignalEngine, type SignalEngineOptions } from '../../domain/baselines/signalEngine.js';
import { signalRoutes } from './routes.js';
import { runSignalRange } from './run.js';
import { DEFAULT_TIERS, DEFAULT_TIERS_FILE, loadTiers, tierResolver, type TiersConfig } from './tiers.js';

export interface SignalsModuleOptions {
  logsIndex: string;
  signalsIndex: string;
  /** config/tiers.yaml by default; a missing default file means every service is "standard". */
  tiersFile: string;
  tiers?: TiersConfig;
  /** History replayed at start to warm baselines and detectors (not rewritten). */
  warmMs: number;
  /** Warming waits this long after start: after a restart the ingest backlog drains first (ES is shared). */
  warmDelayMs: number;
  /** A minute is scored this long after it ends, so late lines (Kafka lag, bulk batching) are in. */
  settleMs: number;
  intervalMs: number;
  /** Compute signals on this instance (every instance serves the routes; IDs are deterministic either way). */
  compute: boolean;
  servicePrefix?: string;
  engine: Partial<SignalEngineOptions>;
  now: () => number;
}

export const DEFAULT_SIGNALS_MODULE_OPTIONS: SignalsModuleOptions = {
  logsIndex: 'cairn-logs-*',
  signalsIndex: SIGNALS_INDEX,
  tiersFile: DEFAULT_TIERS_FILE,
  warmMs: 7 * 86_400_000,
  warmDelayMs: 60_000,
  settleMs: 90_000,
  intervalMs: 60_000,
  compute: true,
  engine: {},
  now: () => Date.now(),
};

const MINUTE_MS = 60_000;

export interface SignalsModule extends BridgeModule {
  /** Scores every complete, settled minute not yet scored; what the timer runs each interval. */
  tick(): Promise<number>;
  /** Resolves once start-up warming is done. */
  warmed: Promise<void>;
}

/**
 * Signals: every minute, per service, volume, error rate and latency p50/p95/p99 from `cairn-logs-*`, scored
 * against seasonal baselines with streaming detectors (state in memory, warmed from history at start), written to
 * `cairn-signals` with deterministic IDs; serves /series, /anomalies and /correlation.
 */
export function createSignalsModule(
  overrides: Partial<SignalsModuleOptions> = {}
): (ctx: BridgeContext) => SignalsModule {
  return (ctx) => {
    const o = { ...DEFAULT_SIGNALS_MODULE_OPTIONS, ...overrides };
    let tiers = o.tiers ?? DEFAULT_TIERS;
    if (!o.tiers) {
      try {
        tiers = loadTiers(o.tiersFile);
      } catch (error) {
        if (o.tiersFile !== DEFAULT_TIERS_FILE || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        ctx.log(`signals: no ${o.tiersFile}; every service is tier "standard"`);
      }
    }
    const engine = new SignalEngine(tierResolver(tiers), o.engine);
    const settledMinute = (): number => Math.floor((o.now() - o.settleMs) / MINUTE_MS) * MINUTE_MS;
    let cursorMs = settledMinute();
    let timer: NodeJS.Timeout | undefined;
    let warmTimer: NodeJS.Timeout | undefined;
    let running: Promise<number> | undefined;
    const abort = new AbortController();
    let resolveWarm: () => void = () => undefined;
    const warmed = new Promise<void>((r) => (resolveWarm = r));
    const base = {
      logsIndex: o.logsIndex,
      signalsIndex: o.signalsIndex,
      servicePrefix: o.servicePrefix,
      signal: abort.signal,
    };

    const tick = async (): Promise<number> => {
      await warmed;
      const until = settledMinute();
      if (until <= cursorMs) return 0;
      const from = cursorMs;
      const written = await runSignalRange(ctx.es, engine, { ...base, fromMs: from, toMs: until, write: true });
      cursorMs = until;
      return written;
    };
    const guardedTick = (): void => {
      if (running) return;
      running = tick()
        .catch((error: unknown) => {
          if (!abort.signal.aborted)
            ctx.log(`signals: scoring failed, retrying next minute: ${(error as Error).message}`);
          return 0;
        })
        .finally(() => (running = undefined));
    };

    const module: SignalsModule = {
      name: 'signals',
      routes: signalRoutes(ctx.es, o.signalsIndex, o.logsIndex),
      warmed,
      tick,
      async start() {
        if (!o.compute) {
          resolveWarm();
          return;
        }
        cursorMs = settledMinute();
        const warmFrom = cursorMs - o.warmMs;
        // Warming replays days of history: in the background, so the bridge starts consuming at once.
        const warm = () =>
          void runSignalRange(ctx.es, engine, { ...base, fromMs: warmFrom, toMs: cursorMs, write: false })
            .then(() =>
              ctx.log(`signals: warmed ${engine.serviceCount} services from ${new Date(warmFrom).toISOString()}`)
            )
            .catch((error: unknown) => ctx.log(`signals: warming failed, starting cold: ${(error as Error).message}`))
            .finally(resolveWarm);
        if (o.warmDelayMs > 0) {
          warmTimer = setTimeout(warm, o.warmDelayMs);
          warmTimer.unref();
        } else warm();
        timer = setInterval(guardedTick, o.intervalMs);
        timer.unref();
      },
      async stop() {
        if (timer) clearInterval(timer);
        if (warmTimer) clearTimeout(warmTimer);
        abort.abort();
        await running;
      },
    };
    return module;
  };
}
