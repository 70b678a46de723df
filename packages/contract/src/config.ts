import { z } from 'zod';
import { LOG_LEVELS } from './records.js';

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** Retention classes name indices (`cairn-logs-<class>`), so they must be valid index-name parts. */
export const retentionClassSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_]{0,31}$/, 'a retention class is lowercase letters, digits and _ (max 32)');

/** What a routing rule matches on: all given conditions must hold. Services accept `*` globs. */
export const routingMatchSchema = z.strictObject({
  service: stringOrList.optional(),
  level: z.union([z.enum(LOG_LEVELS), z.array(z.enum(LOG_LEVELS)).min(1)]).optional(),
  pattern: z.string().min(1).max(1024).optional().describe('JavaScript regular expression tested on the message'),
  environment: stringOrList.optional(),
});

/** One rule; the first rule that matches a record decides its fate. */
export const routingRuleSchema = z.discriminatedUnion('action', [
  z.strictObject({ name: z.string().min(1), match: routingMatchSchema, action: z.literal('drop') }),
  z.strictObject({
    name: z.string().min(1),
    match: routingMatchSchema,
    action: z.literal('sample'),
    rate: z.number().gt(0).lte(1).describe('fraction of matching records kept'),
  }),
  z.strictObject({
    name: z.string().min(1),
    match: routingMatchSchema,
    action: z.literal('route'),
    class: retentionClassSchema,
  }),
]);
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const routingConfigSchema = z.strictObject({
  /** Class by level when no rule routes a record. */
  default_classes: z
    .strictObject({
      error: retentionClassSchema.default('error'),
      debug: retentionClassSchema.default('debug'),
      other: retentionClassSchema.default('default'),
    })
    .default({ error: 'error', debug: 'debug', other: 'default' }),
  rules: z.array(routingRuleSchema).default([]),
});
export type RoutingConfig = z.infer<typeof routingConfigSchema>;

/** The bridge's config file, in Vector's vocabulary: sources, the Elasticsearch sink, the dead letters. */
export const bridgeConfigSchema = z.strictObject({
  sources: z
    .strictObject({
      kafka_logs: z
        .strictObject({
          brokers: z.array(z.string().min(1)).min(1).default(['127.0.0.1:9092']),
          topic: z.string().min(1).default('cairn.logs'),
          group_id: z.string().min(1).default('cairn-bridge'),
          client_id: z.string().min(1).default('cairn-bridge'),
          partitions: z.number().int().min(1).max(1024).default(6),
          from_beginning: z.boolean().default(true),
          session_timeout_ms: z.number().int().min(6000).max(300_000).default(30_000),
        })
        .prefault({}),
    })
    .prefault({}),
  sinks: z
    .strictObject({
      es_logs: z
        .strictObject({
          url: z.string().url().default('http://127.0.0.1:9200'),
          flush_docs: z.number().int().min(1).max(100_000).default(5000),
          flush_bytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
          flush_interval_ms: z.number().int().min(10).max(60_000).default(500),
          max_in_flight_bytes: z.number().int().min(1024 * 1024).default(16 * 1024 * 1024),
          concurrency: z.number().int().min(1).max(32).default(2),
          retry_initial_ms: z.number().int().min(10).default(200),
          retry_max_ms: z.number().int().min(100).default(30_000),
          shards: z.number().int().min(1).max(64).default(1),
          replicas: z.number().int().min(0).max(5).default(0),
          rollover_max_age: z.string().regex(/^\d+[smhd]$/).default('1d'),
          rollover_max_primary_shard_size: z.string().regex(/^\d+(?:b|kb|mb|gb|tb)$/).default('30gb'),
        })
        .prefault({}),
    })
    .prefault({}),
  dead_letter: z.strictObject({ topic: z.string().min(1).default('cairn.dlq') }).prefault({}),
  routing_file: z.string().optional().describe('path of the routing rules file (YAML or JSON), hot-reloaded'),
  api: z
    .strictObject({
      listen_port: z.number().int().min(0).max(65535).default(8080),
      listen_host: z.string().default('127.0.0.1'),
    })
    .prefault({}),
});
export type BridgeConfig = z.infer<typeof bridgeConfigSchema>;
