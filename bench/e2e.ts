/**
 * Issue 3 (b): end to end Kafka → bridge → Elasticsearch, documents/s, beside the ceiling measured in the
 * same run: the same pre-normalized documents bulk-loaded straight into the same Elasticsearch with the same
 * bulk settings (docs per request, concurrency). Goal: bridge ≥ 0.8 × ceiling; bridge peak RSS ≤ 512 MB.
 */
import { readFileSync } from 'node:fs';
import { bridgeConfigSchema } from '@cairn/contract';
import { bulkCreate, createElasticsearchClient, installIndexTemplates, type BulkDoc } from '../backend-bridge/src/adapters/elasticsearch/client.js';
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

// Ceiling: the same documents, normalized beforehand, bulk-loaded directly with the same settings.
const ceilingIndex = `cairn-logs-${uniqueName('benchceil').replace(/-/g, '_')}-000001`;
await es.indices.create({ index: ceilingIndex });
const docs: BulkDoc[] = lines.map((l, i) => {
  const record = normalizeLine(l.line, { topic, partition: i % 6, offset: String(i), key: l.service, receivedAtMs: Date.now() });
  return { index: ceilingIndex, id: `${topic}:${i % 6}:${i}`, json: JSON.stringify(record) };
});
const batches: BulkDoc[][] = [];
for (let i = 0; i < docs.length; i += sink.flush_docs) batches.push(docs.slice(i, i + sink.flush_docs));
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
await es.indices.refresh({ index: ceilingIndex });
const ceilingSeconds = (performance.now() - ceilingStart) / 1000;
const ceilingCount = (await es.count({ index: ceilingIndex })).count;
const ceilingRate = ceilingCount / ceilingSeconds;

// Bridge: lines already in Kafka; a fresh consumer group drains them; time until all are acknowledged.
await produce(kafka, topic, lines.map((l) => ({ key: l.service, value: l.line })), 5000);
const bridge = spawnBridge(writeBridgeConfig({ topic, groupId: uniqueName('bench'), port: PORT }), 'bench-bridge');
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
report.line('bridge time runs from its first acknowledged document to the last (consumer-group join excluded).');
report.save();
await es.indices.delete({ index: ceilingIndex });
await es.close();
process.exit(0);
