/** Helpers for integration tests on the real stack: unique topics, producing, counting, the DLQ, child bridges. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { createKafka, DurableProducer, type Kafka, type OutgoingMessage } from '../adapters/kafka/index.js';
import { esUrl, kafkaBrokers, startStack } from '../stack/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export async function ensureStack(): Promise<void> {
  await startStack({ log: (m) => process.stderr.write(`[stack] ${m}\n`) });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export function testKafka(): Kafka {
  return createKafka({ brokers: kafkaBrokers(), clientId: 'cairn-test' });
}

/** Produces messages in batches; keys decide partitions (service key → one partition). */
export async function produce(kafka: Kafka, topic: string, messages: OutgoingMessage[], batchSize = 2000): Promise<void> {
  const producer = new DurableProducer(kafka);
  try {
    for (let i = 0; i < messages.length; i += batchSize) await producer.send(topic, messages.slice(i, i + batchSize));
  } finally {
    await producer.disconnect();
  }
}

/** Records in a topic (sum over partitions of high watermark minus low): what "each record once" counts. */
export async function recordsInTopic(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function countForTopic(es: Client, topic: string): Promise<number> {
  await es.indices.refresh({ index: 'cairn-logs-*', ignore_unavailable: true, allow_no_indices: true });
  const r = await es.count({
    index: 'cairn-logs-*',
    ignore_unavailable: true,
    allow_no_indices: true,
    query: { term: { 'cairn.source.topic': topic } },
  });
  return r.count;
}

/** Every (partition, offset) indexed more than once for a topic, across all backing indices. */
export async function duplicatesForTopic(es: Client, topic: string): Promise<string[]> {
  await es.indices.refresh({ index: 'cairn-logs-*', ignore_unavailable: true, allow_no_indices: true });
  const duplicates: string[] = [];
  let after: Record<string, string | number> | undefined;
  for (;;) {
    const r = await es.search({
      index: 'cairn-logs-*',
      size: 0,
      query: { term: { 'cairn.source.topic': topic } },
      aggs: {
        coords: {
          composite: {
            size: 10_000,
            sources: [{ p: { terms: { field: 'cairn.source.partition' } } }, { o: { terms: { field: 'cairn.source.offset' } } }],
            ...(after ? { after } : {}),
          },
        },
      },
    });
    const agg = r.aggregations?.coords as
      | { buckets: Array<{ key: { p: number; o: string }; doc_count: number }>; after_key?: Record<string, string | number> }
      | undefined;
    if (!agg || agg.buckets.length === 0) break;
    for (const b of agg.buckets) if (b.doc_count > 1) duplicates.push(`${b.key.p}:${b.key.o}`);
    if (!agg.after_key) break;
    after = agg.after_key;
  }
  return duplicates;
}

export interface DeadLetterSeen {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** Reads the dead-letter topic from the start and keeps the letters whose source topic is `topic`. */
export async function readDeadLetters(kafka: Kafka, dlqTopic: string, sourceTopic: string, expected: number, timeoutMs = 60_000): Promise<DeadLetterSeen[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  const seen: DeadLetterSeen[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
      if (headers['__connect.errors.topic'] === sourceTopic) {
        seen.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers });
      }
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  await consumer.disconnect();
  return seen;
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface BridgeConfigOverrides {
  topic: string;
  groupId: string;
  port?: number;
  rulesFile?: string;
  extraSink?: Record<string, unknown>;
}

/** Writes a bridge config file for a test (unique topic and group, the local stack). */
export function writeBridgeConfig(o: BridgeConfigOverrides): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-it-'));
  const file = join(dir, 'bridge.json');
  writeFileSync(
    file,
    JSON.stringify({
      sources: { kafka_logs: { brokers: kafkaBrokers(), topic: o.topic, group_id: o.groupId, partitions: 6, from_beginning: true, session_timeout_ms: 10_000 } },
      sinks: { es_logs: { url: esUrl(), retry_max_ms: 2000, ...o.extraSink } },
      api: { listen_port: o.port ?? 0 },
      ...(o.rulesFile ? { routing_file: o.rulesFile } : {}),
    })
  );
  return file;
}

/** Runs `cairn bridge` as a child process, as a user would (so tests can SIGKILL it). */
export function spawnBridge(configFile: string, name: string, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, 'backend-bridge/bin/cairn.mjs'), 'bridge', '--config', configFile, '--no-progress'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env },
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.CAIRN_TEST_VERBOSE) process.stderr.write(`[${name}] ${chunk.toString()}`);
  });
  return child;
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
