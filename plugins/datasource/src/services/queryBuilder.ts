import { API_PREFIX } from '@cairn/contract';
import type { CairnQuery } from '../types';
import { narrowQueryType } from './narrowing';

export interface BridgeRequest {
  /** Path under the datasource proxy URL, e.g. `/api/v1/logs/search`. */
  path: string;
  params: Record<string, string>;
}

export interface TimeWindow {
  from: number;
  to: number;
}

const PATHS = {
  logs: `${API_PREFIX}/logs/search`,
  patterns: `${API_PREFIX}/patterns/top`,
  series: `${API_PREFIX}/series`,
} as const;

/** The contract's maximum `limit` per route (logs/search and patterns/top). */
const MAX_LIMIT = { logs: 5000, patterns: 500 } as const;

/** Turns one (already interpolated) panel query into a bridge HTTP request; false for a query it cannot run. */
export function buildBridgeRequest(query: CairnQuery, range: TimeWindow, intervalMs?: number): BridgeRequest | false {
  const queryType = narrowQueryType(query.queryType ?? 'logs');
  if (!queryType) {
    return false;
  }
  const params: Record<string, string> = { from: String(range.from), to: String(range.to) };
  const service = query.service?.trim();
  if (service) {
    params.service = service;
  }
  if (queryType === 'logs') {
    const text = query.query?.trim();
    if (text) {
      params.query = text;
    }
    if (query.level) {
      params.level = query.level;
    }
  }
  if (queryType === 'series') {
    if (!service) {
      return false;
    }
    params.metric = query.metric ?? 'error_rate';
    return { path: PATHS[queryType], params };
  }
  if (queryType === 'patterns' && intervalMs && intervalMs > 0) {
    params.interval = toIntervalParam(intervalMs);
  }
  if (query.limit !== undefined && Number.isFinite(query.limit)) {
    params.limit = String(Math.min(MAX_LIMIT[queryType], Math.max(1, Math.floor(query.limit))));
  }
  return { path: PATHS[queryType], params };
}

/** Sparkline buckets of patterns: the bridge takes `<n>[smhd]`, Grafana hands out milliseconds; at least a minute. */
export function toIntervalParam(intervalMs: number): string {
  const minutes = Math.max(1, Math.round(intervalMs / 60_000));
  if (minutes % 1440 === 0) {
    return `${minutes / 1440}d`;
  }
  if (minutes % 60 === 0) {
    return `${minutes / 60}h`;
  }
  return `${minutes}m`;
}
