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
}

/**
 * A consumer group member that hands whole partition batches to a handler and commits a batch's offsets
 * only after the handler resolved, i.e. after Elasticsearch acknowledged every record or the DLQ took it.
 */
export class BatchConsumer {
  private consumer: Consumer;
  private paused = false;
  private running = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerOptions
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      rebalanceTimeout: 60_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 2 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
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

  async start(handler: (batch: RawBatch, control: BatchControl) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
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
          isActive: () => !lostMembership && payload.isRunning() && !payload.isStale(),
        };
        await handler(
          { topic: batch.topic, partition: batch.partition, messages, highWatermark: batch.highWatermark, bytes },
          control
        );
        if (!control.isActive()) return;
        const last = batch.lastOffset();
        payload.resolveOffset(last);
        try {
          await this.consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
          ]);
        } catch {
          // Lost the partition between indexing and commit: the next owner replays it, and the
          // deterministic document IDs make that replay a no-op in Elasticsearch.
          return;
        }
        await control.heartbeat();
      },
    });
  }

  /** Backpressure: stop fetching while too many bytes are in flight. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.consumer.pause([{ topic: this.options.topic }]);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.consumer.resume([{ topic: this.options.topic }]);
  }

  async stop(): Promise<void> {
    this.running = false;
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
