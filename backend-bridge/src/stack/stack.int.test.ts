import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  esUrl,
  kafkaBrokers,
  restartKafka,
  stackStatus,
  startElasticsearch,
  startStack,
  stopElasticsearch,
  stopStack,
  type StackStatus,
} from './index.js';

// Leaves the stack running afterwards on purpose: other integration tests and the demo reuse it.
const log = (msg: string): void => void process.stderr.write(`[stack test] ${msg}\n`);
const suffix = `${process.pid}-${Date.now()}`;

async function es(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${esUrl()}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const kafka = new Kafka({ clientId: 'cairn-stack-int', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });

describe('local stack', () => {
  let first: StackStatus;

  beforeAll(async () => {
    first = await startStack({ log });
  });

  afterAll(async () => {
    await es('DELETE', `/cairn-stack-test-${suffix}`).catch(() => undefined);
  });

  it('runs Elasticsearch 8.19.7, healthy, with plain HTTP on 127.0.0.1', async () => {
    expect(first.elasticsearch.running).toBe(true);
    expect(first.elasticsearch.url).toBe(esUrl());
    const health = await es('GET', '/_cluster/health');
    expect(health.status).toBe(200);
    expect(['yellow', 'green']).toContain((health.json as { status: string }).status);
    const nodes = await es('GET', '/_nodes/_local');
    const node = Object.values((nodes.json as { nodes: Record<string, { version: string }> }).nodes)[0];
    expect(node?.version).toBe('8.19.7');
  });

  it('is idempotent: a second start is a no-op reporting the same processes', async () => {
    const second = await startStack({ log });
    expect(second.elasticsearch.started).toBe(false);
    expect(second.kafka.started).toBe(false);
    expect(second.elasticsearch.pid).toBe(first.elasticsearch.pid);
    expect(second.kafka.pid).toBe(first.kafka.pid);
    const status = await stackStatus();
    expect(status.elasticsearch.healthy).toBe(true);
    expect(status.kafka.healthy).toBe(true);
  });

  it('kafkajs 2.2.4 round-trips against Kafka 3.9.1: topic, produce, consume, group commit', async () => {
    const topic = `cairn-stack-test-${suffix}`;
    const groupId = `cairn-stack-test-group-${suffix}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(true);
      const producer = kafka.producer();
      await producer.connect();
      const messages = Array.from({ length: 30 }, (_, i) => ({ key: `svc-${i % 5}`, value: `line ${i}` }));
      await producer.send({ topic, acks: -1, messages });
      await producer.disconnect();

      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`consumed only ${seen.length} of 30`)), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
            if (seen.length === messages.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await consumer.disconnect();
      expect(seen.sort()).toEqual(messages.map((m) => m.value).sort());

      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = offsets[0]?.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
      expect(committed).toBe(30);
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps topics and committed offsets across restartKafka()', async () => {
    const topic = `cairn-stack-test-${suffix}`;
    const groupId = `cairn-stack-test-group-${suffix}`;
    const before = (await stackStatus()).kafka.pid;
    const after = await restartKafka({ log });
    expect(after.kafka.pid).not.toBe(before);
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets[0]?.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(30);
      await admin.deleteTopics({ topics: [topic] });
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps indices across stopElasticsearch() / startElasticsearch() and allows fs snapshots', async () => {
    const index = `cairn-stack-test-${suffix}`;
    expect((await es('PUT', `/${index}/_doc/1?refresh=true`, { msg: 'persist me' })).status).toBe(201);
    const repo = await es('PUT', `/_snapshot/cairn-stack-test`, {
      type: 'fs',
      settings: { location: `cairn-stack-test-${suffix}` },
    });
    expect(repo.status).toBe(200);

    const stopped = await stopElasticsearch({ log });
    expect(stopped.elasticsearch.running).toBe(false);
    expect(stopped.kafka.running).toBe(true);
    await expect(fetch(`${esUrl()}/_cluster/health`)).rejects.toThrow();

    const restarted = await startElasticsearch({ log });
    expect(restarted.elasticsearch.started).toBe(true);
    const doc = await es('GET', `/${index}/_doc/1`);
    expect((doc.json as { _source?: { msg: string } })._source?.msg).toBe('persist me');
    await es('DELETE', `/_snapshot/cairn-stack-test`);
  });

  it('reports a foreign process on the port clearly instead of starting a second node', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cairn-stack-'));
    try {
      const env = { ...process.env, CAIRN_HOME: home, CAIRN_ES_PORT: String(first.elasticsearch.port) };
      await expect(startStack({ env, services: ['elasticsearch'], log })).rejects.toThrow(
        /port \d+ \(Elasticsearch HTTP\) is already in use.*CAIRN_ES_PORT/s
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('stop with nothing running is a no-op', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cairn-stack-'));
    try {
      const status = await stopStack({ env: { ...process.env, CAIRN_HOME: home }, log });
      expect(status.elasticsearch.running).toBe(false);
      expect(status.kafka.running).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
