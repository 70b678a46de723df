import { API_PREFIX, type ServiceSummary, type TopPattern } from '@cairn/contract';

export interface DataSourceRef {
  uid: string;
  type: string;
}

/** The configured datasource if it exists, else the first Cairn datasource; false when there is none. */
export function resolveDatasourceUid(
  configured: string | undefined,
  available: DataSourceRef[],
  type: string
): string | false {
  const cairn = available.filter((ds) => ds.type === type);
  if (configured && cairn.some((ds) => ds.uid === configured)) {
    return configured;
  }
  return cairn[0]?.uid ?? false;
}

/** Bridge path through Grafana's data proxy for one datasource. */
export function proxyPath(datasourceUid: string, path: string): string {
  return `/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}${API_PREFIX}${path}`;
}

export function patternsParams(service: string, from = 'now-1h', to = 'now', limit = 10): Record<string, string> {
  return { service, from, to, limit: String(limit) };
}

function isRecord(o: unknown): o is Record<string, unknown> {
  return typeof o === 'object' && o !== null && !Array.isArray(o);
}

/** Untrusted response body to services (busiest first), or false. */
export function narrowServices(o: unknown): ServiceSummary[] | false {
  if (!isRecord(o) || !Array.isArray(o.services)) {
    return false;
  }
  const services = o.services.filter(
    (s): s is ServiceSummary =>
      isRecord(s) && typeof s.name === 'string' && typeof s.count === 'number' && typeof s.errors === 'number'
  );
  return [...services].sort((a, b) => b.count - a.count);
}

/** Untrusted /patterns/top body to its patterns (most frequent first), or false; fields the page shows are checked. */
export function narrowPatterns(o: unknown): TopPattern[] | false {
  if (!isRecord(o) || !Array.isArray(o.patterns)) {
    return false;
  }
  const patterns = o.patterns.filter(
    (p): p is TopPattern =>
      isRecord(p) &&
      typeof p.id === 'string' &&
      typeof p.pattern === 'string' &&
      typeof p.count === 'number' &&
      typeof p.errors === 'number'
  );
  return [...patterns].sort((a, b) => b.count - a.count);
}

/** Share of error lines, as the percentage shown beside each service. */
export function errorRatio(s: ServiceSummary): string {
  return s.count > 0 ? `${((100 * s.errors) / s.count).toFixed(1)}%` : '-';
}
