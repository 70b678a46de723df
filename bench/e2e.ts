/**
 * Issue 3 (b): end to end Kafka → bridge → Elasticsearch, documents/s, beside the ceiling measured in the
 * same run: the same pre-normalized documents bulk-loaded straight into the same Elasticsearch (the same
 * write aliases) with the same bulk settings. Goal: bridge ≥ 0.8 × ceiling; bridge peak RSS ≤ 512 MB.
 * Elasticsearch on 2 shared cores is noisy, so the paths alternate for several rounds and the median counts.
 */
import { readFileSync } from 'node:fs';
import { bridgeConfigSchema } from '@cairn/contract';
import {
  bulkCreate,
  createElasticsearchClient,
  ensureWriteAlias,
  installIndexTemplates,
  logsAlias,
  type BulkDoc,
} from '../backend-bridge/src/adapters/elasticsearch/client.js';
import { cairnTopics, ensureTopics } from '../backend-bridge/src/adapters/kafka/index.js';
import { DEFAULT_ROUTING } from '../backend-bridge/src/config/files.js';
import { generateLines } from '../backend-bridge/src/demo/estate.js';
import { normalizeLine } from '../backend-bridge/src/domain/normalize/index.js';
import { compileRouting, routeRecord } from '../backend-bridge/src/domain/routing/index.js';
import { compilePolicy, defaultMaskingPolicy, maskLogRecord, type MaskableLogRecord } from '../backend-bridge/src/domain/masking/index.js';
import { PatternTracker } from '../backend-bridge/src/modules/patterns/tracker.js';
import type { LogRecord } from '@cairn/contract';
import { esUrl } from '../backend-bridge/src/stack/index.js';
import { ensureStack, produce, spawnBridge, stopChild, testKafka, uniqueName, writeBridgeConfig } from '../backend-bridge/src/testing/harness.js';
import { Report } from './lib.js';

const N = Number(process.env.CAIRN_BENCH_LINES ?? 200_000);
const ROUNDS = Number(process.env.CAIRN_BENCH_ROUNDS ?? 3);
const PORT = 18_099;
// The bridge runs with the V8 heap cap docs/pipeline.md recommends for a 512 MB memory budget.
const BRIDGE_NODE_ARGS = (process.env.CAIRN_BRIDGE_NODE_ARGS ?? '--max-old-space-size=384').split(' ').filter(Boolean);
// CAIRN_PROFILE_DIR=dir writes a CPU profile of the bridge there (open it in Chrome DevTools).
const PROFILE = process.env.CAIRN_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CAIRN_PROFILE_DIR}`] : [];
const report = new Report('e2e');
// Both paths write identical documents; the bridge also fetches from Kafka and does the processing live.
const sink = bridgeConfigSchema.parse({}).sinks.es_logs;
const routing = compileRouting(DEFAULT_ROUTING);

await ensureStack();
const es = createElasticsearchClient(esUrl());
await installIndexTemplates(es, { shards: sink.shards, replicas: sink.replicas });
const kafka = testKafka();
const lines = generateLines(N, 99, Date.UTC(2026, 10, 24, 8));
report.line(
  `${N.toLocaleString('en-US')} demo lines (mixed formats) per run, ${ROUNDS} rounds; bulk ${sink.flush_docs} docs / ${sink.flush_bytes} bytes, concurrency ${sink.concurrency}`
);

/** Lets Elasticsearch finish flushes and merges left by earlier runs, so neither path pays the other's debt. */
async function settle(): Promise<void> {
  await es.indices.flush({ index: 'cairn-logs-*' });
  for (let i = 0; i < 120; i++) {
    const stats = await es.nodes.stats({ metric: 'indices', index_metric: 'merge' } as never);
    const merging = Object.values(stats.nodes).reduce((n, node) => n + (node.indices?.merges?.current ?? 0), 0);
    if (merging === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const masking = compilePolicy(defaultMaskingPolicy);

/**
 * The same documents the bridge writes (normalized, masked, with template IDs), prepared beforehand and
 * bulk-loaded directly into the write aliases the bridge uses.
 */
async function ceiling(round: number): Promise<number> {
  const topic = uniqueName(`bench-ceiling-${round}`);
  const tracker = new PatternTracker({ origin: 'bench' });
  const docs: BulkDoc[] = lines.map((l, i) => {
    const normalized = normalizeLine(l.line, { topic, partition: i % 6, offset: String(i), key: l.service, receivedAtMs: Date.now() });
    const record = maskLogRecord(normalized as unknown as MaskableLogRecord, masking).record as unknown as LogRecord;
    tracker.observe(record);
    const decision = routeRecord(routing, record, `${topic}:${i % 6}:${i}`);
    return {
      index: logsAlias(decision.action === 'keep' ? decision.retentionClass : 'default'),
      id: `${topic}:${i % 6}:${i}`,
      json: JSON.stringify(record),
    };
  });
  for (const alias of new Set(docs.map((d) => d.index))) await ensureWriteAlias(es, alias);
  const batches: BulkDoc[][] = [];
  for (let i = 0; i < docs.length; i += sink.flush_docs) batches.push(docs.slice(i, i + sink.flush_docs));
  await settle();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: sink.concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        if (batch) await bulkCreate(es, batch);
      }
    })
  );
  const seconds = (performance.now() - started) / 1000;
  await es.indices.refresh({ index: 'cairn-logs-*' });
  const count = (await es.count({ index: 'cairn-logs-*', query: { term: { 'cairn.source.topic': topic } } })).count;
  if (count !== N) throw new Error(`ceiling indexed ${count} of ${N}`);
  return N / seconds;
}

/** Lines already in Kafka; a bridge with a fresh consumer group drains them; time until all are acknowledged. */
async function bridge(round: number): Promise<{ rate: number; peakRssMb: number; bulkStats: string }> {
  const topic = uniqueName(`bench-e2e-${round}`);
  await ensureTopics(kafka, cairnTopics(topic, 'cairn.dlq', 6));
  await produce(kafka, topic, lines.map((l) => ({ key: l.service, value: l.line })), 5000);
  await settle();
  const child = spawnBridge(writeBridgeConfig({ topic, groupId: uniqueName('bench'), port: PORT }), 'bench-bridge', [...PROFILE, ...BRIDGE_NODE_ARGS]);
  let peakRssKb = 0;
  const readRss = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakRssKb = Math.max(peakRssKb, Number(hwm[1]));
    } catch {
      // the process has exited
    }
  };
  const metrics = async (): Promise<string> => {
    try {
      return await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
    } catch {
      return '';
    }
  };
  const indexed = (text: string) => [...text.matchAll(/^cairn_lines_indexed_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  let firstAt = 0;
  let doneAt = 0;
  const deadline = Date.now() + 600_000;
  let text = '';
  for (;;) {
    text = await metrics();
    const n = indexed(text);
    readRss();
    if (n > 0 && firstAt === 0) firstAt = performance.now();
    if (n >= N) {
      doneAt = performance.now();
      break;
    }
    if (Date.now() > deadline) throw new Error(`bridge indexed only ${n} of ${N}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  readRss();
  const metric = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  const bulks = metric('cairn_bulk_docs_count');
  await stopChild(child);
  return {
    rate: N / ((doneAt - firstAt) / 1000),
    peakRssMb: peakRssKb / 1024,
    bulkStats: `${bulks} bulks of ${(metric('cairn_bulk_docs_sum') / bulks).toFixed(0)} docs, ${((1000 * metric('cairn_bulk_latency_seconds_sum')) / bulks).toFixed(0)} ms each`,
  };
}

const rows: Array<Array<string | number>> = [];
const ratios: number[] = [];
let peakRss = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const c = await ceiling(round);
  const b = await bridge(round);
  ratios.push(b.rate / c);
  peakRss = Math.max(peakRss, b.peakRssMb);
  rows.push([round, Math.round(c), Math.round(b.rate), Number((b.rate / c).toFixed(2)), Math.round(b.peakRssMb), b.bulkStats]);
}
report.table(['round', 'ceiling docs/s (direct bulk)', 'bridge docs/s (Kafka → bulk)', 'ratio', 'bridge peak RSS MB', 'bridge bulks'], rows);
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)] ?? 0;
report.line(`median ratio bridge / ceiling: ${median.toFixed(2)} (goal ≥ 0.80)`);
report.line(`bridge peak RSS over all rounds: ${peakRss.toFixed(0)} MB (goal ≤ 512 MB)`);
report.line(`bridge: full default pipeline (normalize, mask, mine templates, route, index), node ${BRIDGE_NODE_ARGS.join(' ') || '(no flags)'}`);
report.line('each path starts after Elasticsearch finished pending merges; bridge time runs from its first acknowledged document to the last.');
report.save();
await es.close();
process.exit(0);
