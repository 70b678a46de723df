import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@elastic/elasticsearch';
import type { BridgeConfig, HealthResponse } from '@cairn/contract';
import {
  createElasticsearchClient,
  elasticsearchIsUp,
  installIndexTemplates,
  rolloverIfNeeded,
} from '../adapters/elasticsearch/client.js';
import {
  BatchConsumer,
  cairnTopics,
  consumerLag,
  createKafka,
  DurableProducer,
  ensureTopics,
  type Kafka,
} from '../adapters/kafka/index.js';
import { createHttpServer } from '../adapters/http/server.js';
import { RoutingRules } from '../config/files.js';
import { createPipelineMetrics, type PipelineMetrics } from '../observability/metrics.js';
import { IngestPipeline, type RecordProcessor } from '../pipeline/ingest.js';
import { apiRoutes } from './routes.js';
import type { BridgeModule, BridgeModuleFactory } from './module.js';

export interface BridgeOptions {
  config: BridgeConfig;
  routingFile?: string;
  /** Capabilities plugged in (see bridge/modules.ts); their processors run in this order. */
  modules?: BridgeModuleFactory[];
  token?: string;
  log?: (message: string) => void;
  /** Whether to consume from Kafka (an API-only instance sets false). */
  consume?: boolean;
}

const VERSION = '0.1.0';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The bridge process: Kafka consumer group member, Elasticsearch writer, HTTP API. */
export class Bridge {
  readonly metrics: PipelineMetrics = createPipelineMetrics();
  readonly es: Client;
  readonly kafka: Kafka;
  private consumer?: BatchConsumer;
  private pipeline?: IngestPipeline;
  private dlq: DurableProducer;
  private server?: Server;
  private timers: NodeJS.Timeout[] = [];
  private routing: RoutingRules;
  private modules: BridgeModule[] = [];
  private kafkaUp = false;
  private stopped = false;
  private readonly log: (message: string) => void;

  constructor(private readonly options: BridgeOptions) {
    this.log = options.log ?? ((m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`));
    const { config } = options;
    this.es = createElasticsearchClient(config.sinks.es_logs.url);
    this.kafka = createKafka({ brokers: config.sources.kafka_logs.brokers, clientId: config.sources.kafka_logs.client_id });
    this.dlq = new DurableProducer(this.kafka);
    this.routing = new RoutingRules(options.routingFile ?? config.routing_file, this.log);
  }

  /** Retries a setup step until it succeeds, so a bridge started before its dependencies waits for them. */
  private async untilReady(what: string, fn: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await fn();
        return;
      } catch (error) {
        if (this.stopped) throw error;
        if (attempt === 1 || attempt % 10 === 0) this.log(`waiting for ${what}: ${(error as Error).message}`);
        await sleep(Math.min(5000, 250 * attempt));
      }
    }
  }

  async start(): Promise<{ port: number }> {
    const { config } = this.options;
    const sink = config.sinks.es_logs;
    const consuming = this.options.consume !== false;
    this.modules = (this.options.modules ?? []).map((factory) =>
      factory({ config, es: this.es, kafka: this.kafka, metrics: this.metrics, log: this.log, consuming })
    );
    const port = await this.startHttp();
    await this.untilReady('Elasticsearch', () => installIndexTemplates(this.es, { shards: sink.shards, replicas: sink.replicas }));
    const source = config.sources.kafka_logs;
    await this.untilReady('Kafka', () => ensureTopics(this.kafka, cairnTopics(source.topic, config.dead_letter.topic, source.partitions)));
    this.kafkaUp = true;
    for (const m of this.modules) if (m.start) await m.start();
    if (consuming) {
      const processors: RecordProcessor[] = this.modules.flatMap((m) => (m.processor ? [m.processor] : []));
      const maskRaw = this.modules.find((m) => m.maskRaw)?.maskRaw;
      this.consumer = new BatchConsumer(this.kafka, {
        groupId: source.group_id,
        topic: source.topic,
        fromBeginning: source.from_beginning,
        concurrency: Math.max(1, sink.concurrency),
        sessionTimeoutMs: source.session_timeout_ms,
        maxInFlightBytes: sink.max_in_flight_bytes,
      });
      this.pipeline = new IngestPipeline({
        es: this.es,
        sink,
        metrics: this.metrics,
        routing: this.routing.get,
        processors,
        maskRaw,
        sendDeadLetters: (messages) => this.dlq.send(config.dead_letter.topic, messages),
        log: this.log,
      });
      const pipeline = this.pipeline;
      await this.consumer.start((batch, control) => pipeline.handleBatch(batch, control), this.log);
      this.timers.push(setInterval(() => void this.pollLag(), 5000));
    }
    this.routing.watch();
    this.timers.push(setInterval(() => void this.rollover(), 5 * 60_000));
    return { port };
  }

  private async startHttp(): Promise<number> {
    const { api } = this.options.config;
    this.server = createHttpServer({
      routes: [
        ...apiRoutes({ es: this.es, metrics: this.metrics, health: () => this.health() }),
        ...this.modules.flatMap((m) => m.routes ?? []),
      ],
      token: this.options.token,
      maxBodyBytes: 16 * 1024 * 1024,
      log: this.log,
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(api.listen_port, api.listen_host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  private async pollLag(): Promise<void> {
    const source = this.options.config.sources.kafka_logs;
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const lag = await consumerLag(admin, source.group_id, source.topic);
      let total = 0;
      for (const [partition, value] of lag) {
        this.metrics.lag.set(value, { partition: String(partition) });
        total += value;
      }
      this.metrics.lagTotal.set(total);
      this.kafkaUp = true;
    } catch {
      this.kafkaUp = false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async rollover(): Promise<void> {
    const sink = this.options.config.sinks.es_logs;
    try {
      const aliases = await this.es.indices.getAlias({ name: 'cairn-logs-*' });
      const names = new Set<string>();
      for (const entry of Object.values(aliases)) for (const name of Object.keys(entry.aliases ?? {})) names.add(name);
      for (const alias of names) {
        const rolled = await rolloverIfNeeded(this.es, alias, {
          maxAge: sink.rollover_max_age,
          maxPrimaryShardSize: sink.rollover_max_primary_shard_size,
        });
        if (rolled) this.log(`rolled over ${alias}`);
      }
    } catch (error) {
      this.log(`rollover check failed: ${(error as Error).message}`);
    }
  }

  async health(): Promise<HealthResponse> {
    const esOk = await elasticsearchIsUp(this.es);
    const consuming = this.options.consume !== false;
    const kafka = consuming ? (this.kafkaUp ? 'ok' : 'down') : 'disabled';
    return {
      status: esOk && kafka !== 'down' ? 'ok' : esOk || kafka === 'ok' ? 'degraded' : 'down',
      elasticsearch: esOk ? 'ok' : 'down',
      kafka,
      consumer: {
        running: this.consumer?.isRunning ?? false,
        paused: this.consumer?.isPaused ?? false,
        lag: this.metrics.lagTotal.get(),
      },
      version: VERSION,
    };
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.routing.unwatch();
    // Let batches already sent to Elasticsearch finish and commit, then stop retrying what is left.
    await this.consumer?.drain(10_000);
    this.pipeline?.stop();
    await this.consumer?.stop().catch(() => undefined);
    for (const m of this.modules) await m.stop?.().catch((error: unknown) => this.log(`module ${m.name} stop failed: ${String(error)}`));
    await this.dlq.disconnect().catch(() => undefined);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await this.es.close().catch(() => undefined);
  }
}
