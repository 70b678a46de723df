import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomaliesResponse, CorrelationResponse, SeriesResponse, SignalDoc } from '@cairn/contract';
import { createElasticsearchClient, installIndexTemplates } from '../../adapters/elasticsearch/client.js';
import { searchSignals } from '../../adapters/elasticsearch/signalQueries.js';
import { Bridge } from '../../bridge/bridge.js';
import { loadBridgeConfig } from '../../config/files.js';
import { seasonalFactor, seededRandom } from '../../demo/estate.js';
import { esUrl, kafkaBrokers } from '../../stack/index.js';
import { ensureStack, uniqueName } from '../../testing/harness.js';
import { baselinesVerb } from '../../cli/verbs/baselines.js';
import { grafanaSearchBody, tierQueryModel } from './alertRules.js';
import { createSignalsModule, type SignalsModule } from './module.js';
import { rebuildSignals } from './rebuild.js';
import { parseTiers, type TiersConfig } from './tiers.js';

const es = createElasticsearchClient(esUrl());
const MINUTE = 60_000;
// A Monday: three weekdays of history, then Thursday's normal noon peak and an incident at 15:00.
const START = Date.UTC(2026, 0, 5);
const PEAK_FROM = START + 3 * 1440 * MINUTE + 9 * 60 * MINUTE;
const PEAK_TO = START + 3 * 1440 * MINUTE + 14 * 60 * MINUTE;
const ONSET = START + 3 * 1440 * MINUTE + 15 * 60 * MINUTE;
const PAYMENTS_ONSET = ONSET - 3 * MINUTE;
const END = ONSET + 40 * MINUTE;

const prefix = uniqueName('sigit');
const logsIndex = `cairn-logs-ittest-${prefix}`;
const signalsIndex = `cairn-signals-ittest-${prefix}`;
const checkout = `${prefix}-checkout`;
const payments = `${prefix}-payments`;
const search = `${prefix}-search`;
const tiers: TiersConfig = parseTiers(
  `default_tier: standard\ntiers:\n  critical: { score_threshold: 0.999, for_minutes: 2 }\n  standard: { score_threshold: 0.9999, for_minutes: 5 }\nservices:\n  ${checkout}: critical\n  ${payments}: critical\n`
);
const CRITICAL = 0.999;

function poisson(rand: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

/** Per-minute synthetic access logs: seasonal volume, 2% errors, log-normal latency; incidents on two services. */
async function indexHistory(): Promise<number> {
  const rand = seededRandom(11);
  const services = [
    { name: checkout, peak: 14, latencyMs: 40 },
    { name: payments, peak: 10, latencyMs: 80 },
    { name: search, peak: 10, latencyMs: 25 },
  ];
  let total = 0;
  let ops: unknown[] = [];
  const flush = async (): Promise<void> => {
    if (ops.length === 0) return;
    const r = await es.bulk({ operations: ops });
    if (r.errors) throw new Error('bulk failed');
    ops = [];
  };
  for (let t = START; t < END; t += MINUTE) {
    for (const s of services) {
      const checkoutIncident = s.name === checkout && t >= ONSET && t < ONSET + 20 * MINUTE;
      const paymentsIncident = s.name === payments && t >= PAYMENTS_ONSET && t < PAYMENTS_ONSET + 25 * MINUTE;
      const n = poisson(rand, s.peak * seasonalFactor(t));
      for (let i = 0; i < n; i++) {
        const error = rand() < (checkoutIncident ? 0.35 : 0.02);
        const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        const latency = s.latencyMs * Math.exp(0.4 * normal) * (checkoutIncident ? 4 : paymentsIncident ? 6 : 1);
        ops.push({ create: { _index: logsIndex } });
        const timeout = paymentsIncident && rand() < 0.5;
        ops.push({
          '@timestamp': new Date(t + Math.floor(rand() * MINUTE)).toISOString(),
          message: timeout ? 'timeout calling fraud' : error ? 'request failed' : 'request handled',
          template: { id: timeout ? 'c0ffee000003' : error ? 'e770e0000002' : 'a11000000001' },
          service: { name: s.name },
          log: { level: error ? 'error' : 'info' },
          http: { response: { status_code: error ? 503 : 200 } },
          event: { duration: Math.round(latency * 1e6) },
        });
        total++;
      }
    }
    if (ops.length > 10_000) await flush();
  }
  await flush();
  await es.indices.refresh({ index: logsIndex });
  return total;
}

async function signalsOf(service: string, from: number, to: number): Promise<SignalDoc[]> {
  return searchSignals(es, { index: signalsIndex, service, from, to });
}

beforeAll(async () => {
  await ensureStack();
  await installIndexTemplates(es, { shards: 1, replicas: 0 });
  const docs = await indexHistory();
  process.stderr.write(`[signals.int] indexed ${docs} synthetic log lines in ${logsIndex}\n`);
}, 600_000);

afterAll(async () => {
  if (!process.env.CAIRN_TEST_KEEP)
    await es.indices.delete({ index: [logsIndex, signalsIndex], ignore_unavailable: true }).catch(() => undefined);
  await es.close();
});

describe('signals on the real Elasticsearch (synthetic estate: 3.7 days, 3 services, an incident)', () => {
  it('batch rebuild is resumable after an interruption and scores the incident, not the normal peak', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-baselines-'));
    const checkpointFile = join(dir, 'checkpoint.json');
    const base = {
      logsIndex,
      signalsIndex,
      since: '4d',
      fromMs: START,
      toMs: END,
      servicePrefix: prefix,
      tiers,
      checkpointFile,
    };
    // Interrupt after the first service is done.
    const abort = new AbortController();
    await expect(
      rebuildSignals(es, {
        ...base,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.servicesDone === 1) abort.abort();
        },
      })
    ).rejects.toThrow();
    expect(existsSync(checkpointFile)).toBe(true);
    const progress: number[] = [];
    const result = await rebuildSignals(es, { ...base, onProgress: (p) => progress.push(p.servicesDone) });
    expect(result).toMatchObject({ services: 3, resumedServices: 1 });
    expect(progress[0]).toBe(1);
    expect(existsSync(checkpointFile)).toBe(false);

    const count = (await es.count({ index: signalsIndex })).count;
    expect(count).toBe(result.signalsWritten + (count - result.signalsWritten));
    // Right service: the score rises within 3 minutes of onset.
    const incident = await signalsOf(checkout, ONSET, ONSET + 10 * MINUTE);
    const firstHigh = incident.find((d) => d.score >= CRITICAL);
    expect(firstHigh).toBeDefined();
    const delayMin = (Date.parse(firstHigh?.['@timestamp'] ?? '') - ONSET) / MINUTE;
    process.stderr.write(
      `[signals.int] checkout: first score ≥ ${CRITICAL} ${delayMin} min after onset (${firstHigh?.metric} ${firstHigh?.score})\n`
    );
    expect(delayMin).toBeLessThanOrEqual(3);
    const errorRate = incident.filter((d) => d.metric === 'error_rate');
    expect(errorRate.slice(0, 3).some((d) => d.score >= CRITICAL)).toBe(true);

    // The normal noon peak: no metric of checkout stays above the critical threshold for its `for` duration (2m).
    const peak = await signalsOf(checkout, PEAK_FROM, PEAK_TO);
    const volumePeak = peak.filter((d) => d.metric === 'volume');
    expect(volumePeak.length).toBeGreaterThan(250);
    const maxVolume = Math.max(...volumePeak.map((d) => d.value));
    const minVolume = Math.min(...volumePeak.map((d) => d.value));
    expect(maxVolume).toBeGreaterThan(2 * Math.max(1, minVolume) - 1); // it is a real peak
    for (const metric of ['volume', 'error_rate', 'latency_p50', 'latency_p95'] as const) {
      const series = peak.filter((d) => d.metric === metric);
      let run = 0;
      let longest = 0;
      for (const d of series) {
        run = d.score > CRITICAL ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      expect(longest, `${metric} during the normal peak`).toBeLessThan(2);
    }
    // Search had no incident: it never scores ≥ critical for 2 minutes during the incident window.
    const searchDuring = (await signalsOf(search, ONSET - 5 * MINUTE, ONSET + 20 * MINUTE)).filter(
      (d) => d.metric === 'volume' || d.metric === 'error_rate'
    );
    expect(searchDuring.filter((d) => d.score >= 0.9999).length).toBeLessThanOrEqual(1);
  });

  it("the provisioned rule's Elasticsearch query returns the incident services' max scores above the threshold", async () => {
    const evalAt = ONSET + 5 * MINUTE;
    const body = grafanaSearchBody(tierQueryModel('critical'), evalAt - 10 * MINUTE, evalAt);
    const r = await es.search({ index: signalsIndex, ...body } as never);
    const services =
      (
        r.aggregations as Record<
          string,
          { buckets: Array<{ key: string; '3': { buckets: Array<{ key: number; '1': { value: number | null } }> } }> }
        >
      )['2']?.buckets ?? [];
    const lastNonNull = new Map(
      services.map((b) => {
        const values = b['3'].buckets.map((x) => x['1'].value).filter((v): v is number => v !== null);
        return [b.key, values[values.length - 1] ?? Number.NaN] as const;
      })
    );
    expect([...lastNonNull.keys()].sort()).toEqual([checkout, payments].sort());
    expect(lastNonNull.get(checkout)).toBeGreaterThan(CRITICAL);
    expect(lastNonNull.get(payments)).toBeGreaterThan(CRITICAL);
    // Before the incident, during the normal peak, the same query stays below the threshold for checkout.
    const quiet = grafanaSearchBody(tierQueryModel('critical'), PEAK_TO - 10 * MINUTE, PEAK_TO);
    const q = await es.search({ index: signalsIndex, ...quiet } as never);
    const quietBuckets =
      (
        q.aggregations as Record<
          string,
          { buckets: Array<{ key: string; '3': { buckets: Array<{ '1': { value: number | null } }> } }> }
        >
      )['2']?.buckets ?? [];
    const quietCheckout =
      quietBuckets.find((b) => b.key === checkout)?.['3'].buckets.map((x) => x['1'].value ?? 0) ?? [];
    expect(quietCheckout.length).toBeGreaterThan(0);
    expect(quietCheckout[quietCheckout.length - 1]).toBeLessThan(CRITICAL);
  });

  it('serves series, anomalies and correlation, and the live module scores new minutes idempotently', async () => {
    let now = ONSET + 2 * MINUTE + 90_000;
    let module: SignalsModule | undefined;
    const factory = createSignalsModule({
      logsIndex,
      signalsIndex,
      servicePrefix: prefix,
      tiers,
      warmMs: 1440 * MINUTE,
      intervalMs: 3_600_000,
      now: () => now,
    });
    const config = loadBridgeConfig(undefined, {
      CAIRN_ES_URL: esUrl(),
      CAIRN_KAFKA_BROKERS: kafkaBrokers().join(','),
    });
    config.sources.kafka_logs.topic = uniqueName('it-signals');
    config.sources.kafka_logs.group_id = uniqueName('it-signals-group');
    config.api.listen_port = 0;
    const bridge = new Bridge({
      config,
      consume: false,
      modules: [(ctx) => (module = factory(ctx))],
      log: () => undefined,
    });
    const { port } = await bridge.start();
    try {
      const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`);
        return { status: res.status, body: (await res.json()) as T };
      };
      const series = await get<SeriesResponse>(
        `/series?service=${checkout}&metric=error_rate&from=${ONSET - 30 * MINUTE}&to=${ONSET + 10 * MINUTE}`
      );
      expect(series.status).toBe(200);
      expect(series.body.tier).toBe('critical');
      expect(series.body.points.length).toBeGreaterThan(30);
      expect(series.body.points[0]).toMatchObject({ expected: expect.any(Number), upper: expect.any(Number) });

      const anomalies = await get<AnomaliesResponse>(
        `/anomalies?from=${ONSET - 10 * MINUTE}&to=${ONSET + 20 * MINUTE}&minScore=0.9999`
      );
      expect(anomalies.status).toBe(200);
      const top = [...new Set(anomalies.body.anomalies.map((a) => a.service))];
      expect(top.slice(0, 2).sort()).toEqual([checkout, payments].sort());
      expect(anomalies.body.anomalies[0]?.peakScore).toBeGreaterThan(0.9999);

      const corr = await get<CorrelationResponse>(
        `/correlation?service=${checkout}&at=${ONSET + 2 * MINUTE}&windowMinutes=10&minScore=0.999`
      );
      expect(corr.status).toBe(200);
      const pay = corr.body.related.find((x) => x.service === payments);
      process.stderr.write(`[signals.int] correlation: ${JSON.stringify(corr.body.related.slice(0, 4))}\n`);
      expect(corr.body.related[0]?.service).toBe(payments);
      expect(pay?.leadMinutes).toBeGreaterThanOrEqual(1);
      expect(pay?.window).toBe('preceding');
      const templates = corr.body.templates.filter((t) => t.service.startsWith(prefix));
      process.stderr.write(`[signals.int] templates: ${JSON.stringify(templates.slice(0, 3))}\n`);
      expect(templates.find((t) => t.templateId === 'c0ffee000003')).toMatchObject({ service: payments, isNew: true });
      expect(templates.find((t) => t.service === checkout && t.templateId === 'e770e0000002')?.z).toBeGreaterThan(3);
      expect(templates.find((t) => t.service === search)).toBeUndefined();

      const bad = await get<{ error: string }>('/series?metric=nope');
      expect(bad.status).toBe(400);

      // Live path: warm from the previous day, then score the next five settled minutes; same IDs as the batch.
      expect(module).toBeDefined();
      await module?.warmed;
      await es.indices.refresh({ index: signalsIndex });
      const before = (await es.count({ index: signalsIndex })).count;
      now += 5 * MINUTE;
      const written = (await module?.tick()) ?? 0;
      expect(written).toBeGreaterThanOrEqual(5 * 3 * 4);
      await es.indices.refresh({ index: signalsIndex });
      expect((await es.count({ index: signalsIndex })).count).toBe(before);
      const live = await signalsOf(checkout, ONSET + 3 * MINUTE, ONSET + 8 * MINUTE);
      expect(live.filter((d) => d.metric === 'error_rate').some((d) => d.score >= CRITICAL)).toBe(true);
    } finally {
      await bridge.stop();
    }
  });

  it('`cairn baselines` rebuilds the same signals (idempotent IDs) with a progress bar on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-baselines-cli-'));
    const tiersFile = join(dir, 'tiers.yaml');
    writeFileSync(
      tiersFile,
      `default_tier: standard\ntiers:\n  standard: { score_threshold: 0.9999, for_minutes: 5 }\n`
    );
    await es.indices.refresh({ index: signalsIndex });
    const before = (await es.count({ index: signalsIndex })).count;
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await baselinesVerb.run(
      [
        '--since',
        '4d',
        '--until',
        String(END),
        '--prefix',
        prefix,
        '--logs-index',
        logsIndex,
        '--signals-index',
        signalsIndex,
        '--tiers',
        tiersFile,
        '--checkpoint',
        join(dir, 'cp.json'),
      ],
      { stdin: new PassThrough(), stdout: new PassThrough(), stderr }
    );
    expect(err).toMatch(/100% 3\/3 services/);
    expect(err).toMatch(/rebuilt 3 services \(0 resumed\)/);
    expect(code).toBe(0);
    await es.indices.refresh({ index: signalsIndex });
    expect((await es.count({ index: signalsIndex })).count).toBe(before);
    const tiersNow = await es.search({ index: signalsIndex, size: 0, aggs: { t: { terms: { field: 'tier' } } } });
    expect((tiersNow.aggregations?.t as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key)).toEqual([
      'standard',
    ]);
  });
});
