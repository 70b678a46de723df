import type { DataQuery } from '@grafana/schema';
import type { DataSourceJsonData } from '@grafana/data';
import type { LogSearchRequest, LogRecord, SeriesRequest, ServiceSummary } from '@cairn/contract';

export const QUERY_TYPES = ['logs', 'patterns', 'series'] as const;
export type CairnQueryType = (typeof QUERY_TYPES)[number];

/** One panel query; field names follow the contract's request schemas so they pass through unchanged. */
export interface CairnQuery
  extends DataQuery, Pick<LogSearchRequest, 'service' | 'level' | 'query'>, Partial<Pick<SeriesRequest, 'metric'>> {
  queryType: CairnQueryType;
  limit?: number;
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

export type { LogRecord, ServiceSummary };
