/**
 * The one module that speaks Kafka. kafkajs (2.2.4) is unmaintained but speaks the protocol versions
 * Kafka 3.9 still serves (KIP-896 drops old ones only in 4.0); keeping it behind this module means a
 * switch of client touches nothing else.
 */
import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload, type IHeaders, type Producer } from 'kafkajs';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

export interface RawMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestampMs: number;
  headers: Record<string, string>;
}

export interface RawBatch {
  topic: string;
  partition: number;
  messages: RawMessage[];
  /** Broker high watermark when the batch was fetched: lag = hw - next offset. */
  highWatermark: string;
  bytes: number;
}

export interface BatchControl {
  /** Keeps the group membership alive; never throws (a failure turns isActive() false). */
  heartbeat(): Promise<void>;
  /** False once the partition was revoked or the consumer is stopping: stop retrying, do not commit. */
  isActive(): boolean;
}

export function createKafka(conn: KafkaConnection): Kafka {
  return new Kafka({
    clientId: conn.clientId,
    brokers: conn.brokers,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 300, retries: 30, maxRetryTime: 10_000 },
    connectionTimeout: 5_000,
  });
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries?: Array<{ name: string; value: string }>;
}

/** The topics of ARCHITECTURE.md: logs keyed by service, spans by trace, the DLQ, compacted templates. */
export function cairnTopics(logsTopic: string, dlqTopic: string, partitions: number): TopicSpec[] {
  return [
    // Lines up to 16 MiB are accepted (and truncated by normalization) rather than refused by the broker.
    { topic: logsTopic, numPartitions: partitions, configEntries: [{ name: 'max.message.bytes', value: String(16 * 1024 * 1024) }] },
    { topic: 'cairn.spans', numPartitions: partitions },
    { topic: dlqTopic, numPartitions: 1 },
    { topic: 'cairn.templates', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ];
}

export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions, replicationFactor: 1, configEntries: t.configEntries })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

export interface ConsumerOptions {
  groupId: string;
  topic: string;
  fromBeginning: boolean;
  /** Partitions processed at once by this instance. */
  concurrency: number;
  maxBytesPerPartition?: number;
  /** A member silent this long is dropped from the group and its partitions move on. */
  sessionTimeoutMs?: number;
  /** Bytes handed to the handler and not yet finished, past which fetching waits. */
  maxInFlightBytes?: number;
}

/**
 * A consumer group member that hands whole partition batches to a handler and commits a batch's offsets
 * only after the handler resolved, i.e. after Elasticsearch acknowledged every record or the DLQ took it.
 */
export class BatchConsumer {
  private consumer: Consumer;
  private paused = false;
  private running = false;
  /** Per partition, its newest batch and the promise of its commit (true when committed). */
  private tails = new Map<string, { id: number; done: Promise<boolean> }>();
  private batchSeq = 0;
  private inFlightBytes = 0;
  private waiters: Array<() => void> = [];
  private readonly maxInFlightBytes: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerOptions
  ) {
    this.maxInFlightBytes = options.maxInFlightBytes ?? 64 * 1024 * 1024;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      rebalanceTimeout: 60_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 2 * 1024 * 1024,
      maxBytes: 8 * 1024 * 1024,
      maxWaitTimeInMs: 200,
      retry: { retries: 30, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Consumes with a pipeline per partition: a batch is handed to the handler and the next one is fetched at
   * once, while Elasticsearch works on the first. Offsets are committed strictly in order, each only after
   * its batch's handler resolved `true` (indexed or dead-lettered). Fetching waits while more than
   * `maxInFlightBytes` are handed out and unfinished (backpressure).
   */
  async start(
    handler: (batch: RawBatch, control: BatchControl) => Promise<boolean>,
    onError: (message: string) => void = () => undefined
  ): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
    // A new generation starts every partition's commit chain afresh (a partition may come back to us).
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.tails.clear());
    this.consumer.on(this.consumer.events.CRASH, (event) =>
      onError(`consumer crashed (restart: ${String(event.payload.restart)}): ${event.payload.error.message}`)
    );
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        if (batch.messages.length === 0) return;
        let bytes = 0;
        const messages: RawMessage[] = batch.messages.map((m) => {
          bytes += (m.value?.length ?? 0) + (m.key?.length ?? 0);
          return {
            offset: m.offset,
            key: m.key,
            value: m.value,
            timestampMs: Number(m.timestamp),
            headers: headersToStrings(m.headers),
          };
        });
        // A failed heartbeat means the group is rebalancing: this batch must not be committed by us.
        let lostMembership = false;
        const control: BatchControl = {
          heartbeat: async () => {
            try {
              await payload.heartbeat();
            } catch {
              lostMembership = true;
            }
          },
          isActive: () => !lostMembership && this.running && payload.isRunning() && !payload.isStale(),
        };
        const key = `${batch.topic}:${batch.partition}`;
        const id = ++this.batchSeq;
        this.inFlightBytes += bytes;
        const first = batch.firstOffset() ?? batch.messages[0]?.offset ?? '0';
        const last = batch.lastOffset();
        const work = handler(
          { topic: batch.topic, partition: batch.partition, messages, highWatermark: batch.highWatermark, bytes },
          control
        )
          .catch((error: unknown) => {
            onError(`batch ${key}@${first} failed: ${error instanceof Error ? error.message : String(error)}`);
            return false;
          })
          .finally(() => {
            this.inFlightBytes -= bytes;
            if (this.inFlightBytes <= this.maxInFlightBytes) for (const wake of this.waiters.splice(0)) wake();
          });
        const previous = this.tails.get(key)?.done ?? Promise.resolve(true);
        const tail = (async (): Promise<boolean> => {
          const done = await work;
          // In order: a batch commits only when every earlier batch of its partition did.
          if (!(await previous)) return false;
          if (!done || !control.isActive()) {
            if (control.isActive() && this.tails.get(key)?.id === id) {
              // The batch failed while the partition is still ours: fetch it again from its first offset.
              this.tails.delete(key);
              this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: first });
            }
            return false;
          }
          try {
            await this.consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
            ]);
          } catch {
            // Lost the partition between indexing and commit: the next owner replays from its last
            // commit, and the deterministic document IDs make that replay a no-op in Elasticsearch.
            return false;
          }
          return true;
        })();
        this.tails.set(key, { id, done: tail });
        payload.resolveOffset(last);
        await control.heartbeat();
        while (this.inFlightBytes > this.maxInFlightBytes && this.running) {
          this.paused = true;
          await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
        this.paused = false;
      },
    });
  }

  /** Resolves when every batch handed out so far has finished (committed or given up). */
  async drain(timeoutMs: number): Promise<void> {
    const all = Promise.all([...this.tails.values()].map((t) => t.done));
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.waiters.splice(0)) wake();
    await this.consumer.disconnect();
  }
}

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/** Producer with acks from all in-sync replicas: a send resolves only once the record is durable. */
export class DurableProducer {
  private producer: Producer;
  private connected = false;
  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false, retry: { retries: 30 } });
  }
  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    await this.producer.send({ topic, acks: -1, messages });
  }
  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}

/** Consumer lag per partition for a group: log-end offset minus committed offset. */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committedByPartition = new Map<number, bigint>();
  for (const t of committed) {
    for (const p of t.partitions) committedByPartition.set(p.partition, BigInt(p.offset === '-1' ? '0' : p.offset));
  }
  const lag = new Map<number, number>();
  for (const p of ends) {
    const end = BigInt(p.high);
    const done = committedByPartition.get(p.partition) ?? 0n;
    lag.set(p.partition, Number(end > done ? end - done : 0n));
  }
  return lag;
}

export type { Kafka, Admin };
