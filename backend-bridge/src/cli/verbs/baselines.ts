import { resolve } from 'node:path';
import { createElasticsearchClient, installIndexTemplates } from '../../adapters/elasticsearch/client.js';
import { rebuildSignals, type RebuildProgress } from '../../modules/signals/rebuild.js';
import { DEFAULT_TIERS_FILE, loadTiers } from '../../modules/signals/tiers.js';
import { parseDuration, resolveTimeBound } from '../../modules/signals/time.js';
import { esUrl } from '../../stack/index.js';
import { CliUsageError, type CliIo, type CliVerb } from '../types.js';

const usage = `Usage: cairn baselines --since <duration> [options]

Rebuilds every service's baselines and anomaly signals (volume, error rate, latency p50/p95/p99 per
minute) from the logs in Elasticsearch and (over)writes them in cairn-signals. Progress goes to stderr;
an interrupted run resumes where it stopped when started again with the same --since.

Options:
  --since <duration>      history to replay, e.g. 28d, 36h, 90m (required; at most 400d)
  --until <time>          end of the range: ISO-8601, epoch ms or now-<n><unit> (default: now, to the minute)
  --services <a,b,...>    only these services (default: every service that logged in the range)
  --prefix <text>         only services whose name starts with this
  --logs-index <pattern>  default cairn-logs-*
  --signals-index <name>  default cairn-signals
  --tiers <file>          criticality tiers (default config/tiers.yaml)
  --checkpoint <file>     resume file (default .cairn-baselines.checkpoint.json); removed on success
  --restart               ignore an existing checkpoint
  --no-progress           no progress bar

Environment: CAIRN_ES_URL (default the local stack). Exit codes: 0 done, 1 failed, 2 bad arguments.`;

export interface BaselinesArgs {
  since: string;
  sinceMs: number;
  until: string;
  services?: string[];
  prefix?: string;
  logsIndex: string;
  signalsIndex: string;
  tiersFile: string;
  checkpointFile: string;
  restart: boolean;
  progress: boolean;
}

const MAX_SINCE_MS = 400 * 86_400_000;

export function parseBaselinesArgs(argv: string[]): BaselinesArgs {
  const a: Partial<BaselinesArgs> = { restart: false, progress: true };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, name);
      i++;
      return v;
    };
    switch (name) {
      case '--since':
        a.since = take();
        break;
      case '--until':
        a.until = take();
        break;
      case '--services':
        a.services = take()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (a.services.length === 0) throw new CliUsageError('--services needs at least one name');
        break;
      case '--prefix':
        a.prefix = take();
        break;
      case '--logs-index':
        a.logsIndex = take();
        break;
      case '--signals-index':
        a.signalsIndex = take();
        break;
      case '--tiers':
        a.tiersFile = take();
        break;
      case '--checkpoint':
        a.checkpointFile = take();
        break;
      case '--restart':
        a.restart = true;
        break;
      case '--no-progress':
        a.progress = false;
        break;
      default:
        throw new CliUsageError(`unknown argument '${flag}'`);
    }
  }
  if (a.since === undefined) throw new CliUsageError('--since is required (e.g. --since 28d)');
  const sinceMs = parseDuration(a.since);
  if (!Number.isFinite(sinceMs) || sinceMs <= 0)
    throw new CliUsageError(`--since: not a duration: ${a.since} (e.g. 28d, 36h, 90m)`);
  if (sinceMs > MAX_SINCE_MS) throw new CliUsageError(`--since: at most 400d, got ${a.since}`);
  const until = a.until ?? 'now';
  if (!Number.isFinite(resolveTimeBound(until))) throw new CliUsageError(`--until: not a time: ${until}`);
  if (a.signalsIndex !== undefined && !/^cairn-signals[a-z0-9._-]*$/.test(a.signalsIndex))
    throw new CliUsageError('--signals-index must start with cairn-signals (its index template)');
  return {
    since: a.since,
    sinceMs,
    until,
    services: a.services,
    prefix: a.prefix,
    logsIndex: a.logsIndex ?? 'cairn-logs-*',
    signalsIndex: a.signalsIndex ?? 'cairn-signals',
    tiersFile: a.tiersFile ?? DEFAULT_TIERS_FILE,
    checkpointFile: resolve(a.checkpointFile ?? '.cairn-baselines.checkpoint.json'),
    restart: a.restart ?? false,
    progress: a.progress ?? true,
  };
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

/** `[#####.....] 42% 12/100 services · 1,234 signals · checkout · ETA 1m20s` on one rewritten line (TTY) or every 5 s. */
export function progressLine(p: RebuildProgress, elapsedMs: number, width = 30): string {
  const total = Math.max(1, p.servicesTotal);
  const fraction = Math.min(1, (p.servicesDone + p.serviceFraction) / total);
  const filled = Math.round(fraction * width);
  const fresh = fraction - p.resumedServices / total;
  const eta = fresh > 0 && fraction < 1 ? ` · ETA ${duration((elapsedMs / fresh) * (1 - fraction))}` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${p.servicesDone}/${p.servicesTotal} services · ${p.signalsWritten.toLocaleString('en-US')} signals${p.service ? ` · ${p.service}` : ''}${eta}`;
}

export const baselinesVerb: CliVerb = {
  name: 'baselines',
  summary: 'rebuild baselines and anomaly signals from history in Elasticsearch (resumable)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseBaselinesArgs(argv);
    const tiers = loadTiers(args.tiersFile);
    const toMs = Math.floor(resolveTimeBound(args.until) / 60_000) * 60_000;
    const fromMs = toMs - args.sinceMs;
    const es = createElasticsearchClient(esUrl());
    const abort = new AbortController();
    const onSignal = (): void => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
    const started = Date.now();
    let lastPrint = 0;
    try {
      await installIndexTemplates(es, { shards: 1, replicas: 0 });
      const result = await rebuildSignals(es, {
        logsIndex: args.logsIndex,
        signalsIndex: args.signalsIndex,
        since: args.since,
        fromMs,
        toMs,
        services: args.services,
        servicePrefix: args.prefix,
        tiers,
        checkpointFile: args.checkpointFile,
        restart: args.restart,
        signal: abort.signal,
        onProgress: (p) => {
          if (!args.progress) return;
          const now = Date.now();
          const final = p.servicesDone === p.servicesTotal;
          if (!tty && !final && now - lastPrint < 5000) return;
          lastPrint = now;
          const line = progressLine(p, now - started);
          io.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
        },
      });
      if (args.progress && tty) io.stderr.write('\n');
      io.stderr.write(
        `rebuilt ${result.services} services (${result.resumedServices} resumed) from ${new Date(result.fromMs).toISOString()} to ${new Date(result.toMs).toISOString()}: ${result.signalsWritten.toLocaleString('en-US')} signals in ${duration(Date.now() - started)}\n`
      );
      return 0;
    } catch (error) {
      if (args.progress && tty) io.stderr.write('\n');
      if (abort.signal.aborted) {
        io.stderr.write(
          `cairn baselines: interrupted; run the same command again to resume (${args.checkpointFile})\n`
        );
        return 130;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await es.close();
    }
  },
};
