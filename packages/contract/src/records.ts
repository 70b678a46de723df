import { z } from 'zod';

/** Severity names, lowest to highest; `log.level` always holds one of these after normalization. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The input format a record was parsed from. */
export const LOG_FORMATS = ['json', 'logfmt', 'syslog5424', 'syslog3164', 'access', 'plain', 'otlp'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What normalization had to fill in or fix; stored in `cairn.repaired` so nothing is repaired silently. */
export const REPAIRS = [
  'timestamp_from_kafka',
  'timestamp_unparseable',
  'service_from_key',
  'service_from_topic',
  'service_unknown',
  'level_inferred',
  'level_unknown',
  'message_empty',
  'invalid_utf8',
  'message_truncated',
  'json_too_deep',
  'field_conflict',
] as const;
export type Repair = (typeof REPAIRS)[number];

/** Where a record came from in Kafka: the coordinates behind its deterministic document ID. */
export interface SourceCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * One normalized log record, as indexed into `cairn-logs-*`. Field names follow ECS and OTel semantic
 * conventions so existing Elasticsearch queries and Grafana dashboards work unchanged.
 */
export interface LogRecord {
  '@timestamp': string;
  message: string;
  log: { level: LogLevel; logger?: string };
  service: { name: string; version?: string };
  deployment?: { environment?: string };
  host?: { name?: string };
  trace?: { id?: string };
  span?: { id?: string };
  http?: {
    request?: { id?: string; method?: string };
    response?: { status_code?: number };
  };
  url?: { path?: string };
  client?: { ip?: string };
  event?: { duration?: number };
  user?: { id?: string };
  session?: { id?: string };
  error?: { type?: string; message?: string; stack_trace?: string };
  /** Free labels: string values only, mapped as keywords by a dynamic template. */
  labels: Record<string, string>;
  /** Cairn's own bookkeeping. */
  cairn: {
    format: LogFormat;
    repaired: Repair[];
    source?: SourceCoordinates;
    /** Retention class, chooses the `cairn-logs-<class>` index. */
    class?: string;
    /** Names and counts of masking rules that fired (never values). */
    masked?: Record<string, number>;
  };
  /** Mined template: `params` are the values under its `<*>`s, in order (masked values stay masked). */
  template?: { id: string; pattern?: string; params?: string[] };
}

export const logLevelSchema = z.enum(LOG_LEVELS);

/** Validates records crossing the API boundary (the hot ingest path builds them directly). */
export const logRecordSchema = z.looseObject({
  '@timestamp': z.string(),
  message: z.string(),
  log: z.object({ level: logLevelSchema, logger: z.string().optional() }),
  service: z.object({ name: z.string(), version: z.string().optional() }),
  deployment: z.object({ environment: z.string().optional() }).optional(),
  host: z.object({ name: z.string().optional() }).optional(),
  trace: z.object({ id: z.string().optional() }).optional(),
  span: z.object({ id: z.string().optional() }).optional(),
  user: z.object({ id: z.string().optional() }).optional(),
  session: z.object({ id: z.string().optional() }).optional(),
  labels: z.record(z.string(), z.string()),
  cairn: z.object({
    format: z.enum(LOG_FORMATS),
    repaired: z.array(z.enum(REPAIRS)),
    source: z.object({ topic: z.string(), partition: z.number(), offset: z.string() }).optional(),
    class: z.string().optional(),
    masked: z.record(z.string(), z.number()).optional(),
  }),
  template: z.object({ id: z.string(), pattern: z.string().optional(), params: z.array(z.string()).optional() }).optional(),
});
