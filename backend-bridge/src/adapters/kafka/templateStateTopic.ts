import type { Consumer, Kafka } from 'kafkajs';
import { DurableProducer, ensureTopics, type OutgoingMessage } from './index.js';

export interface TemplateStateTopicOptions {
  topic: string;
  /** Unique per instance: every instance reads the whole topic, none shares its offsets. */
  groupId: string;
  /** How long `follow` waits to catch up with the topic before going on with what it has. */
  catchUpTimeoutMs?: number;
  log: (message: string) => void;
}

/**
 * The compacted template-state topic: read from the beginning on start (so IDs survive restarts), then followed
 * (so one instance's new templates reach the others), and written with one record per template ID.
 */
export class TemplateStateTopic {
  private readonly producer: DurableProducer;
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TemplateStateTopicOptions
  ) {
    this.producer = new DurableProducer(kafka);
  }

  /** Creates the topic (compacted) if missing: tests and a standalone module use their own. */
  async ensure(): Promise<void> {
    await ensureTopics(this.kafka, [
      { topic: this.options.topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ]);
  }

  /**
   * Hands every record's value to `onValues`, from the beginning; resolves once the records present at the call
   * were delivered (or after the catch-up timeout), and keeps delivering new ones until `stop`.
   */
  async follow(onValues: (values: string[]) => void): Promise<{ caughtUp: boolean }> {
    const { topic, groupId, log } = this.options;
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Map<number, bigint>;
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends = new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    let markCaughtUp: () => void = () => undefined;
    const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
    const check = (): void => {
      if (ends.size === 0) markCaughtUp();
    };
    check();
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 2_000,
      maxWaitTimeInMs: 200,
      retry: { retries: 30, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const values: string[] = [];
        for (const m of batch.messages) if (m.value !== null) values.push(m.value.toString('utf8'));
        if (values.length > 0) {
          try {
            onValues(values);
          } catch (error) {
            log(`template state: could not apply ${values.length} records: ${(error as Error).message}`);
          }
        }
        const end = ends.get(batch.partition);
        if (end !== undefined && batch.messages.length > 0 && BigInt(batch.lastOffset()) + 1n >= end) {
          ends.delete(batch.partition);
          check();
        }
      },
    });
    const timeoutMs = this.options.catchUpTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      caughtUp.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!done) log(`template state: not caught up with ${topic} after ${timeoutMs} ms; going on with what was read`);
    return { caughtUp: done };
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.producer.send(this.options.topic, messages);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.options.groupId]);
    } catch {
      // An instance's private group left behind expires with the broker's offsets retention.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
