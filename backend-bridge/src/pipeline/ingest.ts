import type { Client } from '@elastic/elasticsearch';
import type { BridgeConfig, LogFormat, LogRecord } from '@cairn/contract';
import { normalizeBytes, type NormalizeContext } from '../domain/normalize/index.js';
import { routeRecord, type CompiledRouting } from '../domain/routing/index.js';
import {
  bulkCreate,
  ElasticsearchUnavailableError,
  ensureWriteAlias,
  logsAlias,
  type BulkDoc,
} from '../adapters/elasticsearch/client.js';
import type { BatchControl, OutgoingMessage, RawBatch, RawMessage } from '../adapters/kafka/index.js';
import type { PipelineMetrics } from '../observability/metrics.js';

/** A stage after normalization (masking, template mining): changes the record in place or returns a new one. */
export type RecordProcessor = (record: LogRecord) => LogRecord | void;

/** Masks a raw line before it leaves the bridge through the dead-letter topic. */
export type RawMasker = (raw: string) => string;

export type EsSinkOptions = BridgeConfig['sinks']['es_logs'];

export interface IngestDeps {
  es: Client;
  sink: EsSinkOptions;
  metrics: PipelineMetrics;
  routing: () => CompiledRouting;
  processors: RecordProcessor[];
  maskRaw?: RawMasker;
  sendDeadLetters: (messages: OutgoingMessage[]) => Promise<void>;
  log: (message: string) => void;
}

export interface DeadLetter {
  source: RawMessage;
  topic: string;
  partition: number;
  stage: 'normalize' | 'index';
  reason: string;
  errorClass: string;
}

/** Deterministic per Kafka record, so a replay after a crash writes the same IDs and ES answers 409. */
export function documentId(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}

const EMPTY = Buffer.alloc(0);
const FORMATS: ReadonlySet<string> = new Set(['json', 'logfmt', 'syslog5424', 'syslog3164', 'access', 'plain', 'otlp']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kafka-Connect-style error headers, so existing DLQ tooling reads them. */
export function deadLetterMessage(dl: DeadLetter, maskRaw?: RawMasker): OutgoingMessage {
  const raw = (dl.source.value ?? EMPTY).toString('utf8');
  return {
    key: dl.source.key,
    value: maskRaw ? maskRaw(raw) : raw,
    headers: {
      '__connect.errors.topic': dl.topic,
      '__connect.errors.partition': String(dl.partition),
      '__connect.errors.offset': dl.source.offset,
      '__connect.errors.stage': dl.stage,
      '__connect.errors.connector.name': 'cairn-bridge',
      '__connect.errors.exception.class.name': dl.errorClass,
      '__connect.errors.exception.message': maskRaw ? maskRaw(dl.reason) : dl.reason,
    },
  };
}

/**
 * The consumer side of ingest: normalize → process (mask, mine) → route → bulk index with retries →
 * dead-letter what Elasticsearch rejects. Resolves only when every record of the batch is indexed,
 * already there, deliberately dropped, or durably in the dead-letter topic; the caller then commits.
 */
export class IngestPipeline {
  private inFlightBytes = 0;
  private readonly knownAliases = new Set<string>();
  private stopping = false;

  constructor(private readonly deps: IngestDeps) {}

  stop(): void {
    this.stopping = true;
  }

  get bytesInFlight(): number {
    return this.inFlightBytes;
  }

  /** True when every record is indexed, a duplicate, dropped, or in the DLQ; false when the partition was lost. */
  async handleBatch(batch: RawBatch, control: BatchControl): Promise<boolean> {
    const { metrics } = this.deps;
    this.inFlightBytes += batch.bytes;
    metrics.inFlightBytes.set(this.inFlightBytes);
    // The consumer holds fetching back past this bound (BatchConsumer); the gauge shows it.
    if (this.inFlightBytes > this.deps.sink.max_in_flight_bytes) metrics.paused.set(1);
    try {
      const { docs, services, deadLetters } = this.prepare(batch);
      await this.ensureAliases(docs);
      const rejected = await this.indexWithRetry(docs, services, control);
      if (rejected === undefined) return false; // partition revoked: the next owner replays it
      for (const r of rejected) {
        const source = batch.messages[r.position];
        if (source) {
          deadLetters.push({
            source,
            topic: batch.topic,
            partition: batch.partition,
            stage: 'index',
            reason: r.reason,
            errorClass: `elasticsearch.${r.status}`,
          });
        }
      }
      if (deadLetters.length > 0) {
        await this.deps.sendDeadLetters(deadLetters.map((dl) => deadLetterMessage(dl, this.deps.maskRaw)));
        for (const dl of deadLetters) metrics.dlq.inc({ stage: dl.stage });
      }
      const lag = Number(BigInt(batch.highWatermark) - BigInt(batch.messages[batch.messages.length - 1]?.offset ?? '0') - 1n);
      metrics.lag.set(Math.max(0, lag), { partition: String(batch.partition) });
      return true;
    } finally {
      this.inFlightBytes -= batch.bytes;
      metrics.inFlightBytes.set(this.inFlightBytes);
      if (this.inFlightBytes <= this.deps.sink.max_in_flight_bytes) metrics.paused.set(0);
    }
  }

  /** Normalizes and routes a batch; positions map each document back to its Kafka message. */
  private prepare(batch: RawBatch): {
    docs: Array<BulkDoc & { position: number }>;
    services: string[];
    deadLetters: DeadLetter[];
  } {
    const { metrics, processors } = this.deps;
    const routing = this.deps.routing();
    const docs: Array<BulkDoc & { position: number }> = [];
    const services: string[] = [];
    const deadLetters: DeadLetter[] = [];
    for (let i = 0; i < batch.messages.length; i++) {
      const m = batch.messages[i];
      if (!m) continue;
      const id = documentId(batch.topic, batch.partition, m.offset);
      try {
        const declared = m.headers['cairn-format'];
        const ctx: NormalizeContext = {
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key && m.key.length > 0 ? m.key.toString('utf8') : undefined,
          receivedAtMs: Number.isFinite(m.timestampMs) ? m.timestampMs : Date.now(),
          format: declared && FORMATS.has(declared) ? (declared as LogFormat) : undefined,
        };
        let record = normalizeBytes(m.value ?? EMPTY, ctx);
        metrics.linesIn.inc({ service: record.service.name });
        for (const repair of record.cairn.repaired) metrics.repaired.inc({ repair });
        for (const process of processors) record = process(record) ?? record;
        const decision = routeRecord(routing, record, id);
        if (decision.action === 'drop') {
          metrics.linesDropped.inc({ service: record.service.name, rule: decision.rule, reason: decision.reason });
          continue;
        }
        record.cairn.class = decision.retentionClass;
        docs.push({ index: logsAlias(decision.retentionClass), id, json: JSON.stringify(record), position: i });
        services.push(record.service.name);
      } catch (error) {
        deadLetters.push({
          source: m,
          topic: batch.topic,
          partition: batch.partition,
          stage: 'normalize',
          reason: error instanceof Error ? error.message : String(error),
          errorClass: error instanceof Error ? error.name : 'Error',
        });
      }
    }
    return { docs, services, deadLetters };
  }

  private async ensureAliases(docs: BulkDoc[]): Promise<void> {
    for (const d of docs) {
      if (this.knownAliases.has(d.index)) continue;
      await this.withRetry(() => ensureWriteAlias(this.deps.es, d.index));
      this.knownAliases.add(d.index);
    }
  }

  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    let delay = this.deps.sink.retry_initial_ms;
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        if (this.stopping) throw error;
        this.deps.metrics.retries.inc({ cause: 'setup' });
        this.deps.log(`elasticsearch setup call failed, retrying in ${delay} ms: ${(error as Error).message}`);
        await sleep(delay);
        delay = Math.min(delay * 2, this.deps.sink.retry_max_ms);
      }
    }
  }

  /** Splits documents into bulk requests by count and bytes. */
  private chunks<T extends BulkDoc>(docs: T[]): T[][] {
    const out: T[][] = [];
    let current: T[] = [];
    let bytes = 0;
    for (const d of docs) {
      if (current.length > 0 && (current.length >= this.deps.sink.flush_docs || bytes + d.json.length > this.deps.sink.flush_bytes)) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(d);
      bytes += d.json.length + 64;
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  /**
   * Indexes until every document is created, a duplicate, or rejected. Returns the rejections, or
   * undefined when the partition was revoked (or the bridge stops) before that.
   */
  private async indexWithRetry(
    docs: Array<BulkDoc & { position: number }>,
    services: string[],
    control: BatchControl
  ): Promise<Array<{ position: number; status: number; reason: string }> | undefined> {
    const { metrics, sink } = this.deps;
    const rejected: Array<{ position: number; status: number; reason: string }> = [];
    const serviceOf = new Map<number, string>();
    docs.forEach((d, i) => serviceOf.set(d.position, services[i] ?? 'unknown'));
    const queue = this.chunks(docs);
    let delay = sink.retry_initial_ms;
    while (queue.length > 0) {
      const chunk = queue.shift();
      if (!chunk || chunk.length === 0) continue;
      if (!control.isActive() || this.stopping) return undefined;
      const started = performance.now();
      let outcomes;
      try {
        outcomes = await bulkCreate(this.deps.es, chunk);
      } catch (error) {
        if (error instanceof ElasticsearchUnavailableError && error.status === 413 && chunk.length > 1) {
          const half = Math.ceil(chunk.length / 2);
          queue.unshift(chunk.slice(0, half), chunk.slice(half));
          continue;
        }
        if (error instanceof ElasticsearchUnavailableError && error.status === 413) {
          const only = chunk[0];
          if (only) rejected.push({ position: only.position, status: 413, reason: 'document larger than the request size limit' });
          continue;
        }
        metrics.retries.inc({ cause: 'request' });
        this.deps.log(`bulk request failed, retrying in ${delay} ms: ${(error as Error).message}`);
        queue.unshift(chunk);
        await this.pauseWithHeartbeat(delay, control);
        delay = Math.min(delay * 2, sink.retry_max_ms);
        continue;
      }
      metrics.bulkLatency.observe((performance.now() - started) / 1000);
      metrics.bulkDocs.observe(chunk.length);
      const retry: Array<BulkDoc & { position: number }> = [];
      chunk.forEach((doc, i) => {
        const outcome = outcomes[i];
        const service = serviceOf.get(doc.position) ?? 'unknown';
        if (!outcome) return;
        switch (outcome.kind) {
          case 'created':
            metrics.linesOut.inc({ service });
            break;
          case 'duplicate':
            metrics.duplicates.inc({ service });
            break;
          case 'retry':
            retry.push(doc);
            break;
          case 'rejected':
            rejected.push({ position: doc.position, status: outcome.status, reason: outcome.reason });
            break;
        }
      });
      if (retry.length > 0) {
        metrics.retries.inc({ cause: 'item' }, retry.length);
        queue.unshift(retry);
        await this.pauseWithHeartbeat(delay, control);
        delay = Math.min(delay * 2, sink.retry_max_ms);
      } else {
        delay = sink.retry_initial_ms;
      }
      await control.heartbeat();
    }
    return rejected;
  }

  /** Waits out a backoff while keeping the group membership alive. */
  private async pauseWithHeartbeat(ms: number, control: BatchControl): Promise<void> {
    const jittered = ms * (0.75 + Math.random() * 0.5);
    const end = Date.now() + jittered;
    while (Date.now() < end && control.isActive() && !this.stopping) {
      await sleep(Math.min(1000, end - Date.now()));
      await control.heartbeat();
    }
  }
}
