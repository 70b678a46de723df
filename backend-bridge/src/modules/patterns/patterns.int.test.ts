import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  LogLevel,
  LogRecord,
  NewPatternsResponse,
  PatternLinesResponse,
  PatternParamsResponse,
  PatternResponse,
  TopPatternsResponse,
} from '@cairn/contract';
import { Bridge } from '../../bridge/bridge.js';
import type { BridgeModuleFactory } from '../../bridge/module.js';
import { loadBridgeConfig } from '../../config/files.js';
import { createElasticsearchClient } from '../../adapters/elasticsearch/client.js';
import { esUrl, kafkaBrokers } from '../../stack/index.js';
import { countForTopic, ensureStack, produce, testKafka, uniqueName, waitFor } from '../../testing/harness.js';
import { patternsModule } from './index.js';

const es = createElasticsearchClient(esUrl());
const kafka = testKafka();
const verbose = (name: string) => (m: string) => {
  if (process.env.CAIRN_TEST_VERBOSE) process.stderr.write(`[${name}] ${m}\n`);
};

beforeAll(async () => {
  await ensureStack();
}, 600_000);

afterAll(async () => {
  await es.close();
});

interface Line {
  message: string;
  level: LogLevel;
}

const USERS = [
  'root',
  'admin',
  'root',
  'guest',
  'root',
  'oracle',
  'admin',
  'root',
  'guest',
  'root',
  'admin',
  'oracle',
  'root',
  'test',
];

/** One pass over the test templates: a parameterized sshd line (14), worker names (5), closes (5), an error (3). */
function pass(): Line[] {
  const lines: Line[] = [];
  USERS.forEach((u, i) =>
    lines.push({ message: `Failed password for ${u} from 10.0.0.${i + 1} port ${4000 + i} ssh2`, level: 'warn' })
  );
  for (const n of ['alpha', 'bravo', 'charlie', 'delta', 'echo'])
    lines.push({ message: `worker ${n} started cleanly`, level: 'info' });
  for (let i = 0; i < 5; i++) lines.push({ message: `Connection closed by 10.1.1.${i} [preauth]`, level: 'info' });
  for (let i = 0; i < 3; i++) lines.push({ message: 'Disk quota exceeded on /data', level: 'error' });
  return lines;
}

let clock = Date.now() - 20 * 60_000;
function json(service: string, l: Line): string {
  clock += 1000;
  return JSON.stringify({ '@timestamp': new Date(clock).toISOString(), level: l.level, service, msg: l.message });
}

function bridgeConfig(topic: string, groupId: string, partitions: number) {
  const config = loadBridgeConfig(undefined, { CAIRN_ES_URL: esUrl(), CAIRN_KAFKA_BROKERS: kafkaBrokers().join(',') });
  config.sources.kafka_logs.topic = topic;
  config.sources.kafka_logs.group_id = groupId;
  config.sources.kafka_logs.partitions = partitions;
  config.sources.kafka_logs.from_beginning = true;
  config.sources.kafka_logs.session_timeout_ms = 10_000;
  config.api.listen_port = 0;
  return config;
}

/** Docs of a topic in event-time order: message, template ID and pattern. */
async function docsOf(topic: string): Promise<LogRecord[]> {
  await es.indices.refresh({ index: 'cairn-logs-*' });
  const r = await es.search<LogRecord>({
    index: 'cairn-logs-*',
    size: 5000,
    query: { term: { 'cairn.source.topic': topic } },
    sort: [{ '@timestamp': { order: 'asc' } }],
  });
  return r.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
}

function idOf(r: LogRecord): string {
  const id = r.template?.id;
  if (id === undefined) throw new Error(`no template on ${r.message}`);
  return id;
}

async function api<T>(port: number, path: string, expectStatus = 200): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  const body = (await res.json()) as T;
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(expectStatus);
  return body;
}

describe('patterns module on real Kafka and Elasticsearch', () => {
  it('keeps template IDs across a restart and serves the pattern API from Elasticsearch', async () => {
    const topic = uniqueName('it-pat-logs');
    const stateTopic = uniqueName('it-pat-state');
    const groupId = uniqueName('it-pat-group');
    const service = uniqueName('pat-svc');
    const factory = patternsModule({ stateTopic, flushIntervalMs: 300 });
    const config = bridgeConfig(topic, groupId, 1);
    const start = new Date(clock).toISOString();

    // First life: two passes over the lines, so the second pass shows the templates after merges settled.
    const first = new Bridge({ config, modules: [factory], log: verbose('bridge-1') });
    await first.start();
    const batch1 = [...pass(), ...pass()];
    try {
      await produce(
        kafka,
        topic,
        batch1.map((l) => ({ key: service, value: json(service, l) }))
      );
      await waitFor('first batch indexed', async () => (await countForTopic(es, topic)) >= batch1.length, 90_000, 500);
    } finally {
      await first.stop();
    }
    const docs1 = await docsOf(topic);
    expect(docs1).toHaveLength(batch1.length);
    const settled = new Map<string, string>();
    for (const d of docs1) settled.set(d.message, idOf(d));
    const workerId = settled.get('worker echo started cleanly');
    expect(settled.get('worker alpha started cleanly')).toBe(workerId);
    expect(docs1.find((d) => d.message === 'worker alpha started cleanly')?.template?.pattern).toBe(
      'worker alpha started cleanly'
    );

    // Second life: a new bridge loads the state topic; the same lines get the same IDs, a new worker joins the merged template.
    const second = new Bridge({ config, modules: [factory], log: verbose('bridge-2') });
    const { port } = await second.start();
    try {
      const batch2: Line[] = [
        ...pass(),
        { message: 'worker golf started cleanly', level: 'info' },
        { message: 'Payment gateway timeout after 30s', level: 'error' },
      ];
      await produce(
        kafka,
        topic,
        batch2.map((l) => ({ key: service, value: json(service, l) }))
      );
      const total = batch1.length + batch2.length;
      await waitFor('second batch indexed', async () => (await countForTopic(es, topic)) >= total, 90_000, 500);
      const docs2 = (await docsOf(topic)).slice(batch1.length);
      expect(docs2).toHaveLength(batch2.length);
      for (const d of docs2.slice(0, pass().length)) expect(idOf(d), d.message).toBe(settled.get(d.message));
      const golf = docs2.find((d) => d.message === 'worker golf started cleanly');
      expect(golf?.template?.id).toBe(workerId);
      expect(golf?.template?.params).toEqual(['golf']);

      // Pattern API, checked against what Elasticsearch holds.
      const failedId = settled.get('Failed password for root from 10.0.0.1 port 4000 ssh2') ?? '';
      const range = `from=${encodeURIComponent(start)}&to=now`;
      await waitFor(
        'templates indexed',
        async () => {
          await es.indices.refresh({ index: 'cairn-templates' });
          const r = await es.count({ index: 'cairn-templates', query: { term: { service } } });
          return r.count >= 6;
        },
        30_000
      );
      const top = await api<TopPatternsResponse>(
        port,
        `/api/v1/patterns/top?service=${service}&${range}&interval=1m&limit=10`
      );
      const failed = top.patterns.find((p) => p.id === failedId);
      expect(failed?.pattern).toBe('Failed password for <*> from <*> port <*> ssh2');
      // 3 passes × 14 lines: those stored under IDs later merged into it count here too.
      expect(failed?.count).toBe(42);
      expect(top.patterns[0]?.id).toBe(failedId);
      expect(top.total).toBe(batch1.length + batch2.length);
      for (const p of top.patterns) expect(p.series.reduce((s, x) => s + x.count, 0)).toBe(p.count);
      const disk = top.patterns.find((p) => p.pattern === 'Disk quota exceeded on /data');
      expect(disk?.count).toBe(9);
      expect(disk?.errors).toBe(9);
      const esCount = await es.count({
        index: 'cairn-logs-*',
        query: {
          bool: {
            filter: [
              { term: { 'cairn.source.topic': topic } },
              { terms: { 'template.id': [failedId, ...(failed?.aliases ?? [])] } },
            ],
          },
        },
      });
      expect(esCount.count).toBe(42);
      const shares = top.patterns.reduce((s, p) => s + p.share, 0);
      expect(shares).toBeCloseTo(1, 5);

      const fresh = await api<NewPatternsResponse>(port, `/api/v1/patterns/new?service=${service}&${range}`);
      const levels = fresh.patterns.map((p) => p.level);
      expect(levels.slice(0, 2)).toEqual(['error', 'error']);
      expect(fresh.patterns.map((p) => p.pattern)).toContain('Payment gateway timeout after <*>');
      expect(fresh.patterns.every((p) => p.mergedInto === undefined)).toBe(true);
      expect(fresh.patterns.map((p) => p.id)).not.toContain(failed?.aliases[0] ?? 'none');
      const onlyErrors = await api<NewPatternsResponse>(
        port,
        `/api/v1/patterns/new?service=${service}&${range}&minLevel=error`
      );
      expect(onlyErrors.patterns).toHaveLength(2);

      const one = await api<PatternResponse>(port, `/api/v1/patterns/${failed?.aliases[0] ?? failedId}`);
      expect(one.pattern.id).toBe(failedId);
      expect(one.pattern.count).toBeGreaterThanOrEqual(42);

      const lines = await api<PatternLinesResponse>(port, `/api/v1/patterns/${failedId}/lines?${range}&limit=5`);
      expect(lines.total).toBe(42);
      expect(lines.hits).toHaveLength(5);
      for (const h of lines.hits) expect(h.record.message).toMatch(/^Failed password for /);

      const params = await api<PatternParamsResponse>(port, `/api/v1/patterns/${failedId}/params?${range}`);
      const users = params.params[0];
      expect(users?.values[0]?.value).toBe('root');
      expect(users?.distinct).toBe(5);
      const rootLines = docs2.filter((d) => d.message.startsWith('Failed password for root ')).length;
      expect(users?.values[0]?.count).toBeGreaterThanOrEqual(2 * rootLines);
      expect(params.sampled).toBeGreaterThanOrEqual(28);
      expect(params.params[2]?.distinct).toBe(14);

      // The new-pattern signal for alerting.
      await waitFor(
        'new_pattern signals',
        async () => {
          await es.indices.refresh({ index: 'cairn-signals' });
          const r = await es.count({
            index: 'cairn-signals',
            query: {
              bool: {
                filter: [
                  { term: { metric: 'new_pattern' } },
                  { term: { 'service.name': service } },
                  { term: { 'log.level': 'error' } },
                ],
              },
            },
          });
          return r.count === 2;
        },
        30_000
      );

      // Bad input names the problem.
      const badId = await api<{ error: string; details: Array<{ path: string }> }>(
        port,
        '/api/v1/patterns/not-an-id',
        400
      );
      expect(badId.details[0]?.path).toBe('id');
      const badInterval = await api<{ details: Array<{ path: string }> }>(
        port,
        '/api/v1/patterns/top?interval=soon',
        400
      );
      expect(badInterval.details[0]?.path).toBe('interval');
      await api(port, '/api/v1/patterns/0123456789ab', 404);
    } finally {
      await second.stop();
    }
  }, 180_000);

  it('two bridge instances in one consumer group agree on template IDs', async () => {
    const topic = uniqueName('it-pat2-logs');
    const stateTopic = uniqueName('it-pat2-state');
    const groupId = uniqueName('it-pat2-group');
    const service = uniqueName('pat2-svc');
    const config = bridgeConfig(topic, groupId, 2);
    const seen = [new Set<string>(), new Set<string>()];
    const counted =
      (i: number): BridgeModuleFactory =>
      (ctx) => {
        const m = patternsModule({ stateTopic, flushIntervalMs: 300 })(ctx);
        const inner = m.processor;
        return inner === undefined ? m : { ...m, processor: (r) => (seen[i]?.add(r.message), inner(r)) };
      };
    const bridges = [0, 1].map((i) => new Bridge({ config, modules: [counted(i)], log: verbose(`member-${i}`) }));
    await bridges[0]?.start();
    await bridges[1]?.start();
    const producer = kafka.producer();
    await producer.connect();
    try {
      // Phase 1 on partition 0 only: one member learns the templates (merges included).
      const phase1 = [...pass(), ...pass()];
      await producer.send({ topic, messages: phase1.map((l) => ({ partition: 0, value: json(service, l) })) });
      await waitFor('phase 1 indexed', async () => (await countForTopic(es, topic)) >= phase1.length, 90_000, 500);
      const settled = new Map<string, string>();
      for (const d of await docsOf(topic)) settled.set(d.message, idOf(d));
      const workerId = settled.get('worker alpha started cleanly') ?? '';
      await waitFor(
        'merged template published',
        async () => {
          await es.indices.refresh({ index: 'cairn-templates' });
          return (await es.exists({ index: 'cairn-templates', id: workerId })).valueOf();
        },
        30_000
      );
      // Phase 2 on both partitions, with a worker name neither member saw: it must join the shared merged template.
      const phase2: Line[] = [...pass(), { message: 'worker hotel started cleanly', level: 'info' }];
      await producer.send({
        topic,
        messages: [0, 1].flatMap((partition) => phase2.map((l) => ({ partition, value: json(service, l) }))),
      });
      const total = phase1.length + 2 * phase2.length;
      await waitFor('phase 2 indexed', async () => (await countForTopic(es, topic)) >= total, 90_000, 500);
      // Each member mined lines: the partitions were split between them.
      expect(seen[0]?.size).toBeGreaterThan(0);
      expect(seen[1]?.size).toBeGreaterThan(0);
      const docs2 = (await docsOf(topic)).slice(phase1.length);
      expect(docs2).toHaveLength(2 * phase2.length);
      for (const d of docs2) {
        const expected = d.message === 'worker hotel started cleanly' ? workerId : settled.get(d.message);
        expect(idOf(d), d.message).toBe(expected);
      }
    } finally {
      await producer.disconnect();
      await Promise.all(bridges.map((b) => b?.stop()));
    }
  }, 180_000);
});
