import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createElasticsearchClient } from '../adapters/elasticsearch/client.js';
import { DurableProducer, type Kafka, type OutgoingMessage } from '../adapters/kafka/index.js';
import { generateLines } from '../demo/estate.js';
import { esUrl, restartKafka, startElasticsearch, stopElasticsearch } from '../stack/index.js';
import {
  countForTopic,
  duplicatesForTopic,
  recordsInTopic,
  ensureStack,
  spawnBridge,
  stopChild,
  testKafka,
  uniqueName,
  waitFor,
  writeBridgeConfig,
} from '../testing/harness.js';

const es = createElasticsearchClient(esUrl());
const children: ChildProcess[] = [];

beforeAll(async () => {
  await ensureStack();
}, 600_000);

afterAll(async () => {
  for (const c of children) await stopChild(c, 'SIGKILL');
  await es.close();
});

function lines(count: number, seed: number): OutgoingMessage[] {
  return generateLines(count, seed, Date.UTC(2026, 10, 24, 9)).map((l) => ({ key: l.service, value: l.line }));
}

/** Sends lines at a steady rate in the background; a failed send (broker restarting) is retried, never skipped. */
function streamLines(kafka: Kafka, topic: string, messages: OutgoingMessage[], perSecond: number): { done: Promise<void>; sent: () => number } {
  const producer = new DurableProducer(kafka);
  let sent = 0;
  const batch = Math.max(1, Math.floor(perSecond / 10));
  const done = (async () => {
    try {
      while (sent < messages.length) {
        const started = Date.now();
        const slice = messages.slice(sent, sent + batch);
        try {
          await producer.send(topic, slice);
          sent += slice.length;
        } catch {
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        const wait = 100 - (Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      await producer.disconnect();
    }
  })();
  return { done, sent: () => sent };
}

function startBridge(topic: string, groupId: string, name: string): ChildProcess {
  const child = spawnBridge(writeBridgeConfig({ topic, groupId }), name);
  children.push(child);
  return child;
}

/**
 * Every record in the topic is indexed once. The test producer retries a failed send, so a broker fault can
 * leave a few lines twice in Kafka (at-least-once on the producer side): those are distinct records, and
 * count as such; at least `sent` records must be there.
 */
async function expectExactlyOnce(topic: string, sent: number): Promise<void> {
  const total = await recordsInTopic(testKafka(), topic);
  expect(total).toBeGreaterThanOrEqual(sent);
  await waitFor(`${total} documents for ${topic}`, async () => (await countForTopic(es, topic)) >= total, 240_000, 2000);
  await new Promise((r) => setTimeout(r, 3000));
  expect(await countForTopic(es, topic)).toBe(total);
  expect(await duplicatesForTopic(es, topic)).toEqual([]);
}

describe('delivery under faults: 0 lost, 0 duplicated', () => {
  it('survives Elasticsearch stopped for 20 s mid-stream', async () => {
    const topic = uniqueName('it-es-down');
    const total = 30_000;
    const bridge = startBridge(topic, uniqueName('g'), 'bridge-es');
    const stream = streamLines(testKafka(), topic, lines(total, 1), 3000);
    await waitFor('first documents', async () => (await countForTopic(es, topic)) >= 3000, 120_000, 500);
    await stopElasticsearch({ log: () => undefined });
    await new Promise((r) => setTimeout(r, 20_000));
    await startElasticsearch({ log: () => undefined });
    await stream.done;
    await expectExactlyOnce(topic, total);
    await stopChild(bridge);
  });

  it('survives the bridge killed with SIGKILL mid-stream and restarted', async () => {
    const topic = uniqueName('it-kill');
    const group = uniqueName('g');
    const total = 30_000;
    const first = startBridge(topic, group, 'bridge-kill-1');
    const stream = streamLines(testKafka(), topic, lines(total, 2), 3000);
    await waitFor('first documents', async () => (await countForTopic(es, topic)) >= 4000, 120_000, 300);
    await stopChild(first, 'SIGKILL');
    const second = startBridge(topic, group, 'bridge-kill-2');
    await stream.done;
    await expectExactlyOnce(topic, total);
    await stopChild(second);
  });

  it('survives the broker restarted mid-stream', async () => {
    const topic = uniqueName('it-broker');
    const total = 20_000;
    const bridge = startBridge(topic, uniqueName('g'), 'bridge-broker');
    const all = lines(total, 3);
    const stream = streamLines(testKafka(), topic, all, 2000);
    await waitFor('first documents', async () => (await countForTopic(es, topic)) >= 3000, 120_000, 500);
    await restartKafka({ log: () => undefined });
    await stream.done;
    await expectExactlyOnce(topic, total);
    await stopChild(bridge);
  });

  it('two bridge instances share a topic across rebalances without loss or duplicates', async () => {
    const topic = uniqueName('it-scale');
    const group = uniqueName('g');
    const total = 40_000;
    const a = startBridge(topic, group, 'bridge-a');
    const stream = streamLines(testKafka(), topic, lines(total, 4), 4000);
    await waitFor('first documents', async () => (await countForTopic(es, topic)) >= 4000, 120_000, 500);
    const b = startBridge(topic, group, 'bridge-b');
    await waitFor('more documents', async () => (await countForTopic(es, topic)) >= 20_000, 180_000, 500);
    await stopChild(a);
    await stream.done;
    await expectExactlyOnce(topic, total);
    await stopChild(b);
  });
});
