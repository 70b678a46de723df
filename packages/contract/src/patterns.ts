import { z } from 'zod';
import type { LogSearchHit } from './api.js';
import { LOG_LEVELS, type LogLevel } from './records.js';

/** Template IDs: 12 lowercase hex characters, content-derived and the same on every bridge instance. */
export const templateIdSchema = z.string().regex(/^[0-9a-f]{12}$/, 'a template ID is 12 hex characters');

const timeBound = z
  .string()
  .min(1)
  .max(64)
  .describe('ISO-8601 timestamp, epoch milliseconds, or date math such as now-15m');

/** GET /api/v1/patterns/top: the busiest templates of a service (or all) in a time range, with a sparkline each. */
export const topPatternsRequestSchema = z.object({
  service: z.string().min(1).max(256).optional(),
  level: z.enum(LOG_LEVELS).optional(),
  from: timeBound.default('now-1h'),
  to: timeBound.default('now'),
  limit: z.coerce.number().int().min(1).max(500).default(20),
  interval: z
    .string()
    .regex(/^\d+[smhd]$/, 'interval is a number and a unit among s, m, h, d (e.g. 1m)')
    .default('1m'),
});
export type TopPatternsRequest = z.infer<typeof topPatternsRequestSchema>;

export interface PatternPoint {
  /** Bucket start, epoch milliseconds. */
  time: number;
  count: number;
}

export interface TopPattern {
  id: string;
  pattern: string;
  service: string;
  count: number;
  /** Share of the matching lines in the range, 0..1. */
  share: number;
  /** Lines at error or fatal level. */
  errors: number;
  series: PatternPoint[];
  /** Older IDs merged into this one whose stored lines were counted here. */
  aliases: string[];
}

export interface TopPatternsResponse {
  total: number;
  interval: string;
  patterns: TopPattern[];
}

/** GET /api/v1/patterns/new: templates first seen inside the window, error-level first, newest first. */
export const newPatternsRequestSchema = z.object({
  service: z.string().min(1).max(256).optional(),
  from: timeBound.default('now-1h'),
  to: timeBound.default('now'),
  minLevel: z.enum(LOG_LEVELS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type NewPatternsRequest = z.infer<typeof newPatternsRequestSchema>;

/** One template as kept in the `cairn-templates` index. */
export interface PatternInfo {
  id: string;
  pattern: string;
  service: string;
  /** Highest level among its lines. */
  level: LogLevel;
  /** Event time of its first and latest line (ISO-8601). */
  firstSeen: string;
  lastSeen: string;
  count: number;
  aliases: string[];
  /** Set when this ID was merged into another template. */
  mergedInto?: string;
}

export interface NewPatternsResponse {
  patterns: PatternInfo[];
}

/** GET /api/v1/patterns/:id/lines: the lines of a template (and of its aliases), newest first. */
export const patternLinesRequestSchema = z.object({
  from: timeBound.default('now-1h'),
  to: timeBound.default('now'),
  limit: z.coerce.number().int().min(1).max(5000).default(100),
});
export type PatternLinesRequest = z.infer<typeof patternLinesRequestSchema>;

export interface PatternLinesResponse {
  id: string;
  total: number;
  hits: LogSearchHit[];
}

/** GET /api/v1/patterns/:id/params: value distributions per parameter position, over a sample of recent lines. */
export const patternParamsRequestSchema = z.object({
  from: timeBound.default('now-1h'),
  to: timeBound.default('now'),
  sample: z.coerce.number().int().min(1).max(10_000).default(1000),
  top: z.coerce.number().int().min(1).max(100).default(10),
});
export type PatternParamsRequest = z.infer<typeof patternParamsRequestSchema>;

export interface ParamDistribution {
  /** 0-based position among the template's `<*>`s. */
  position: number;
  distinct: number;
  values: Array<{ value: string; count: number }>;
}

export interface PatternParamsResponse {
  id: string;
  pattern: string;
  /** Lines of the template in the range, and how many of the newest were counted (those with the current pattern). */
  total: number;
  sampled: number;
  params: ParamDistribution[];
}

/** GET /api/v1/patterns/:id: one template, following merges. */
export interface PatternResponse {
  pattern: PatternInfo;
}

/** The value of the `new_pattern` signal written to `cairn-signals` when a template is first seen. */
export const NEW_PATTERN_METRIC = 'new_pattern';
