import { z } from 'zod';
import { LOG_LEVELS, type LogRecord } from './records.js';

/** Every bridge API route lives under this prefix. */
export const API_PREFIX = '/api/v1';

const isoOrRelative = z
  .string()
  .min(1)
  .describe('ISO-8601 timestamp, epoch milliseconds, or a relative time such as now-15m');

/** GET /api/v1/logs/search: newest first. */
export const logSearchRequestSchema = z.object({
  query: z.string().max(4096).optional().describe('Free text matched against message (simple_query_string syntax)'),
  service: z.string().max(256).optional(),
  level: z.enum(LOG_LEVELS).optional(),
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  from: isoOrRelative.default('now-1h'),
  to: isoOrRelative.default('now'),
  limit: z.coerce.number().int().min(1).max(5000).default(100),
});
export type LogSearchRequest = z.infer<typeof logSearchRequestSchema>;

export interface LogSearchHit {
  id: string;
  index: string;
  record: LogRecord;
}

export interface LogSearchResponse {
  total: number;
  hits: LogSearchHit[];
}

/** GET /api/v1/logs/volume: per-service counts and error counts in buckets. */
export const logVolumeRequestSchema = z.object({
  service: z.string().max(256).optional(),
  from: isoOrRelative.default('now-1h'),
  to: isoOrRelative.default('now'),
  interval: z
    .string()
    .regex(/^\d+[smhd]$/)
    .default('1m'),
});
export type LogVolumeRequest = z.infer<typeof logVolumeRequestSchema>;

export interface LogVolumeSeries {
  service: string;
  points: Array<{ time: number; count: number; errors: number }>;
}

export interface LogVolumeResponse {
  series: LogVolumeSeries[];
}

/** GET /api/v1/services: services seen in a time range, busiest first. */
export interface ServiceSummary {
  name: string;
  count: number;
  errors: number;
}

export interface ServicesResponse {
  services: ServiceSummary[];
}

/** GET /health */
export interface HealthResponse {
  status: 'ok' | 'degraded' | 'down';
  elasticsearch: 'ok' | 'down';
  kafka: 'ok' | 'down' | 'disabled';
  consumer: { running: boolean; paused: boolean; lag: number };
  version: string;
}

/** The error body of every 4xx/5xx answer. */
export interface ApiError {
  error: string;
  details?: Array<{ path: string; message: string }>;
}
