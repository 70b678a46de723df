import type { Client } from '@elastic/elasticsearch';
import {
  bulkCreate,
  ElasticsearchUnavailableError,
  ensureWriteAlias,
  type BulkDoc,
} from '../../adapters/elasticsearch/client.js';
import { spanBulkDoc } from '../../adapters/elasticsearch/spans.js';
import {
  BatchConsumer,
  DurableProducer,
  ensureTopics,
  type BatchControl,
  type Kafka,
  type RawBatch,
  type RawMessage,
} from '../../adapters/kafka/index.js';
import { deadLetterMessage } from '../../pipeline/ingest.js';
import { parseSpanMessage } from './spanMessages.js';

export interface SpansIndexerOptions {
  es: Client;
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** Write alias (created with its first backing index when missing). */
  index: string;
  deadLetterTopic: string;
  partitions: number;
  fromBeginning: boolean;
  retryInitialMs: number;
  retryMaxMs: number;
  log: (message: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Its own consumer group on cairn.spans: each batch is indexed with `create` and `_id` = trace+span ID,
 * bad records go to the dead-letter topic, and the offsets are committed only after that (BatchConsumer).
 */
export class SpansIndexer {
  private consumer?: BatchConsumer;
  private readonly dlq: DurableProducer;
  private stopping = false;
  indexed = 0;
  duplicates = 0;
  deadLettered = 0;

  constructor(private readonly o: SpansIndexerOptions) {
    this.dlq = new DurableProducer(o.kafka);
  }

  async start(): Promise<void> {
    await ensureTopics(this.o.kafka, [{ topic: this.o.topic, numPartitions: this.o.partitions }]);
    await ensureWriteAlias(this.o.es, this.o.index);
    this.consumer = new BatchConsumer(this.o.kafka, {
      groupId: this.o.groupId,
      topic: this.o.topic,
      fromBeginning: this.o.fromBeginning,
      concurrency: 2,
    });
    await this.consumer.start((batch, control) => this.handleBatch(batch, control), this.o.log);
  }

  async stop(): Promise<void> {
    await this.consumer?.drain(10_000);
    this.stopping = true;
    await this.consumer?.stop().catch(() => undefined);
    await this.dlq.disconnect().catch(() => undefined);
  }

  async handleBatch(batch: RawBatch, control: BatchControl): Promise<boolean> {
    const docs: BulkDoc[] = [];
    const sources: RawMessage[] = [];
    const dead: Array<{ source: RawMessage; stage: 'normalize' | 'index'; reason: string; errorClass: string }> = [];
    for (const m of batch.messages) {
      const parsed = parseSpanMessage(m.value);
      if ('error' in parsed) {
        dead.push({ source: m, stage: 'normalize', reason: parsed.error, errorClass: 'SpanDecodeError' });
        continue;
      }
      if (parsed.rejected)
        this.o.log(`spans indexer: ${batch.topic}/${batch.partition}@${m.offset}: ${parsed.rejected}`);
      for (const span of parsed.spans) {
        docs.push(spanBulkDoc(span, this.o.index));
        sources.push(m);
      }
    }
    let pending = docs.map((doc, i) => ({ doc, source: sources[i] as RawMessage }));
    let delay = this.o.retryInitialMs;
    while (pending.length > 0) {
      if (this.stopping || !control.isActive()) throw new Error('spans indexer stopping: batch left uncommitted');
      let outcomes;
      try {
        outcomes = await bulkCreate(
          this.o.es,
          pending.map((p) => p.doc)
        );
      } catch (error) {
        if (!(error instanceof ElasticsearchUnavailableError)) throw error;
        this.o.log(`spans indexer: ${error.message}; retrying in ${delay} ms`);
        await control.heartbeat();
        await sleep(delay);
        delay = Math.min(delay * 2, this.o.retryMaxMs);
        continue;
      }
      const retry: typeof pending = [];
      outcomes.forEach((outcome, i) => {
        const item = pending[i];
        if (!item) return;
        if (outcome.kind === 'created') this.indexed++;
        else if (outcome.kind === 'duplicate') this.duplicates++;
        else if (outcome.kind === 'retry') retry.push(item);
        else
          dead.push({
            source: item.source,
            stage: 'index',
            reason: outcome.reason,
            errorClass: 'ElasticsearchRejection',
          });
      });
      pending = retry;
      if (pending.length > 0) {
        await control.heartbeat();
        await sleep(delay);
        delay = Math.min(delay * 2, this.o.retryMaxMs);
      }
    }
    if (dead.length > 0) {
      await this.dlq.send(
        this.o.deadLetterTopic,
        dead.map((d) => deadLetterMessage({ ...d, topic: batch.topic, partition: batch.partition }))
      );
      this.deadLettered += dead.length;
    }
    return true;
  }
}
