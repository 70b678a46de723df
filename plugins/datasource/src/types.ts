import type { DataQuery } from '@grafana/schema';
import type { DataSourceJsonData } from '@grafana/data';
import type { LogSearchRequest, LogRecord, ServiceSummary } from '@cairn/contract';

export const QUERY_TYPES = ['logs', 'patterns', 'series'] as const;
export type CairnQueryType = (typeof QUERY_TYPES)[number];

/** One panel query; field names follow the contract's request schemas so they pass through unchanged. */
export interface CairnQuery extends DataQuery, Pick<LogSearchRequest, 'service' | 'level' | 'query'> {
  queryType: CairnQueryType;
  limit?: number;
  /** Series only: which signal metric (e.g. log_rate, error_rate) to draw with its band. */
  metric?: string;
}

export const DEFAULT_QUERY: Partial<CairnQuery> = {
  queryType: 'logs',
  limit: 100,
  metric: 'error_rate',
};

/** The bridge URL lives in the standard `url` setting; nothing else is needed in jsonData yet. */
export type CairnDataSourceOptions = DataSourceJsonData;

/** Stored encrypted by Grafana; only the data proxy route reads it. */
export interface CairnSecureJsonData {
  bridgeToken?: string;
}

// ---- Plugin-local API types: the contract does not define these endpoints yet (see plugin README). ----

/** GET /api/v1/patterns/top: the most frequent templates of a service in a window. */
export interface PatternSummary {
  templateId: string;
  pattern: string;
  service: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** True when the template first appeared inside the requested window. */
  isNew?: boolean;
}

export interface PatternsResponse {
  patterns: PatternSummary[];
}

/** GET /api/v1/series: one metric per minute with its seasonal expected band (the `cairn-signals` shape). */
export interface SeriesPoint {
  time: number | string;
  value: number;
  expected?: number;
  lower?: number;
  upper?: number;
  score?: number;
  anomaly?: boolean;
}

export interface SeriesResponse {
  service: string;
  metric: string;
  points: SeriesPoint[];
}

export type { LogRecord, ServiceSummary };
