import type { Client } from '@elastic/elasticsearch';
import type { BridgeConfig } from '@cairn/contract';
import type { Kafka } from '../adapters/kafka/index.js';
import type { Route } from '../adapters/http/server.js';
import type { PipelineMetrics } from '../observability/metrics.js';
import type { RawMasker, RecordProcessor } from '../pipeline/ingest.js';

/** What a capability gets from the bridge: its clients, config and metrics. */
export interface BridgeContext {
  config: BridgeConfig;
  es: Client;
  kafka: Kafka;
  metrics: PipelineMetrics;
  log: (message: string) => void;
  /** Whether this instance consumes from Kafka (false for an API-only instance). */
  consuming: boolean;
}

/**
 * A capability plugged into the bridge (masking, patterns, OTLP intake, signals): its HTTP routes, its
 * stage in the ingest pipeline, and its own background work. Registered in bridge/modules.ts.
 */
export interface BridgeModule {
  name: string;
  routes?: Route[];
  /** Runs on each normalized record before routing, in module order (masking before template mining). */
  processor?: RecordProcessor;
  /** Masks raw lines before they go to the dead-letter topic. */
  maskRaw?: RawMasker;
  /** Called before the consumer starts (e.g. load shared state); awaited. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type BridgeModuleFactory = (ctx: BridgeContext) => BridgeModule;
