/**
 * Issue 3 (b): end to end Kafka → bridge → Elasticsearch, documents/s, beside the ceiling measured in the
 * same run: the same pre-normalized documents bulk-loaded straight into the same Elasticsearch with the same
 * bulk settings (docs per request, concurrency). Goal: bridge ≥ 0.8 × ceiling; bridge peak RSS ≤ 512 MB.
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
import { DEFAULT_ROUTING } from '../backend-bridge/src/config/files.js';
import { compileRouting, routeRecord } from '../backend-bridge/src/domain/routing/index.js';
import { cairnTopics, ensureTopics } from '../backend-bridge/src/adapters/kafka/index.js';
import { generateLines } from '../backend-bridge/src/demo/estate.js';
import { normalizeLine } from '../backend-bridge/src/domain/normalize/index.js';
import { esUrl } from '../backend-bridge/src/stack/index.js';
import { ensureStack, produce, spawnBridge, stopChild, testKafka, uniqueName, writeBridgeConfig } from '../backend-bridge/src/testing/harness.js';
import { Report } from './lib.js';

const N = Number(process.env.CAIRN_BENCH_LINES ?? 200_000);
const PORT = 18_099;
const report = new Report('e2e');
const sink = bridgeConfigSchema.parse({}).sinks.es_logs;

await ensureStack();
const es = createElasticsearchClient(esUrl());
await installIndexTemplates(es, { shards: sink.shards, replicas: sink.replicas });
const kafka = testKafka();
const topic = uniqueName('bench-e2e');
await ensureTopics(kafka, cairnTopics(topic, 'cairn.dlq', 6));
const lines = generateLines(N, 99, Date.UTC(2026, 10, 24, 8));
report.line(`${N.toLocaleString('en-US')} demo lines (mixed formats), bulk ${sink.flush_docs} docs / ${sink.flush_bytes} bytes, concurrency ${sink.concurrency}`);

// Ceiling: the same documents, normalized beforehand, bulk-loaded directly with the same settings into the
// same write aliases the bridge uses (so both meet the same indices, merges and mappings).
const routing = compileRouting(DEFAULT_ROUTING);
const ceilingTopic = `${topic}-ceiling`;
const docs: BulkDoc[] = lines.map((l, i) => {
  const record = normalizeLine(l.line, { topic: ceilingTopic, partition: i % 6, offset: String(i), key: l.service, receivedAtMs: Date.now() });
  const decision = routeRecord(routing, record, `${ceilingTopic}:${i % 6}:${i}`);
  const alias = logsAlias(decision.action === 'keep' ? decision.retentionClass : 'default');
  return { index: alias, id: `${ceilingTopic}:${i % 6}:${i}`, json: JSON.stringify(record) };
});
for (const alias of new Set(docs.map((d) => d.index))) await ensureWriteAlias(es, alias);
const batches: BulkDoc[][] = [];
for (let i = 0; i < docs.length; i += sink.flush_docs) batches.push(docs.slice(i, i + sink.flush_docs));
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
await settle();
const ceilingStart = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: sink.concurrency }, async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await bulkCreate(es, batch);
    }
  })
);
const ceilingSeconds = (performance.now() - ceilingStart) / 1000;
await es.indices.refresh({ index: 'cairn-logs-*' });
const ceilingCount = (await es.count({ index: 'cairn-logs-*', query: { term: { 'cairn.source.topic': ceilingTopic } } })).count;
const ceilingRate = ceilingCount / ceilingSeconds;

// Bridge: lines already in Kafka; a fresh consumer group drains them; time until all are acknowledged.
await produce(kafka, topic, lines.map((l) => ({ key: l.service, value: l.line })), 5000);
await settle();
// CAIRN_PROFILE_DIR=dir writes a CPU profile of the bridge there (open it in Chrome DevTools).
// The bridge runs with the V8 heap cap docs/pipeline.md recommends for a 512 MB memory budget.
const BRIDGE_NODE_ARGS = (process.env.CAIRN_BRIDGE_NODE_ARGS ?? '--max-old-space-size=256').split(' ').filter(Boolean);
const profile = [...(process.env.CAIRN_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CAIRN_PROFILE_DIR}`] : []), ...BRIDGE_NODE_ARGS];
const bridge = spawnBridge(writeBridgeConfig({ topic, groupId: uniqueName('bench'), port: PORT }), 'bench-bridge', profile);
let peakRssKb = 0;
const readRss = () => {
  try {
    const status = readFileSync(`/proc/${bridge.pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    if (hwm) peakRssKb = Math.max(peakRssKb, Number(hwm[1]));
  } catch {
    // the process has exited
  }
};
const indexed = async (): Promise<number> => {
  try {
    const text = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
    let total = 0;
    for (const m of text.matchAll(/^cairn_lines_indexed_total\{[^}]*\} (\d+)/gm)) total += Number(m[1]);
    return total;
  } catch {
    return -1;
  }
};
let firstAt = 0;
let doneAt = 0;
const deadline = Date.now() + 600_000;
for (;;) {
  const n = await indexed();
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
const finalMetrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
const metric = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(finalMetrics)?.[1] ?? NaN);
const bulks = metric('cairn_bulk_docs_count');
const bulkStats = `bridge bulks: ${bulks} requests, ${(metric('cairn_bulk_docs_sum') / bulks).toFixed(0)} docs each on average, ${((1000 * metric('cairn_bulk_latency_seconds_sum')) / bulks).toFixed(0)} ms each on average`;
await stopChild(bridge);
const bridgeSeconds = (doneAt - firstAt) / 1000;
const bridgeRate = N / bridgeSeconds;

report.table(
  ['path', 'documents', 'seconds', 'docs/s'],
  [
    ['ceiling: pre-normalized bulk load', ceilingCount, Number(ceilingSeconds.toFixed(2)), Math.round(ceilingRate)],
    ['bridge: Kafka → normalize → route → bulk', N, Number(bridgeSeconds.toFixed(2)), Math.round(bridgeRate)],
  ]
);
report.line(`ratio bridge / ceiling: ${(bridgeRate / ceilingRate).toFixed(2)} (goal ≥ 0.80)`);
report.line(`bridge peak RSS (VmHWM): ${(peakRssKb / 1024).toFixed(0)} MB (goal ≤ 512 MB)`);
report.line(bulkStats);
report.line(`bridge node flags: ${BRIDGE_NODE_ARGS.join(' ') || '(none)'}; both paths run after Elasticsearch finished pending merges`);
report.line('bridge time runs from its first acknowledged document to the last (consumer-group join excluded).');
report.save();
await es.close();
process.exit(0);
