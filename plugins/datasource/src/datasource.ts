import {
  DataSourceApi,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv, isFetchError } from '@grafana/runtime';
import {
  API_PREFIX,
  type LogSearchResponse,
  type SeriesResponse,
  type ServicesResponse,
  type TopPatternsResponse,
} from '@cairn/contract';
import { lastValueFrom } from 'rxjs';
import { buildBridgeRequest, type BridgeRequest } from './services/queryBuilder';
import { logsToFrame, patternsToFrame, seriesToFrame } from './services/frames';
import { DEFAULT_QUERY, type CairnDataSourceOptions, type CairnQuery } from './types';

export class DataSource extends DataSourceApi<CairnQuery, CairnDataSourceOptions> {
  /** Grafana's data-proxy URL for this instance; the `api/v1` route adds the bridge token. */
  readonly proxyUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<CairnDataSourceOptions>) {
    super(instanceSettings);
    this.proxyUrl = instanceSettings.url ?? '';
  }

  getDefaultQuery(): Partial<CairnQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: CairnQuery): boolean {
    return !query.hide && (query.queryType !== 'series' || Boolean(query.service));
  }

  applyTemplateVariables(query: CairnQuery, scopedVars: ScopedVars): CairnQuery {
    const templateSrv = getTemplateSrv();
    return {
      ...query,
      service: query.service ? templateSrv.replace(query.service, scopedVars) : query.service,
      query: query.query ? templateSrv.replace(query.query, scopedVars) : query.query,
    };
  }

  async query(request: DataQueryRequest<CairnQuery>): Promise<DataQueryResponse> {
    const range = { from: request.range.from.valueOf(), to: request.range.to.valueOf() };
    const data = await Promise.all(
      request.targets
        .filter((t) => this.filterQuery(t))
        .map((t) => this.runQuery(this.applyTemplateVariables(t, request.scopedVars), range, request.intervalMs))
    );
    return { data: data.filter((f): f is DataFrame => f !== undefined) };
  }

  private async runQuery(
    query: CairnQuery,
    range: { from: number; to: number },
    intervalMs: number
  ): Promise<DataFrame | undefined> {
    const req = buildBridgeRequest(query, range, intervalMs);
    if (!req) {
      return undefined;
    }
    switch (query.queryType) {
      case 'patterns':
        return patternsToFrame(await this.get<TopPatternsResponse>(req), query.refId);
      case 'series':
        return seriesToFrame(await this.get<SeriesResponse>(req), query.refId);
      default:
        return logsToFrame(await this.get<LogSearchResponse>(req), query.refId);
    }
  }

  /** Services for template variables (`label_values`-style): one value per service the bridge has seen. */
  async metricFindQuery(): Promise<MetricFindValue[]> {
    const res = await this.get<ServicesResponse>({ path: `${API_PREFIX}/services`, params: {} });
    return res.services.map((s) => ({ text: s.name, value: s.name }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const res = await this.get<ServicesResponse>({ path: `${API_PREFIX}/services`, params: {} });
      return { status: 'success', message: `Connected to the Cairn bridge: ${res.services.length} services seen.` };
    } catch (err) {
      let message = 'Cannot reach the Cairn bridge';
      if (isFetchError(err)) {
        message += err.status === 401 || err.status === 403 ? ': the bridge token was rejected' : `: ${err.status}`;
        const body = err.data as { error?: unknown } | undefined;
        if (typeof body?.error === 'string') {
          message += ` (${body.error})`;
        }
      }
      return { status: 'error', message };
    }
  }

  private async get<T>(req: BridgeRequest): Promise<T> {
    const res = await lastValueFrom(
      getBackendSrv().fetch<T>({ url: `${this.proxyUrl}${req.path}`, method: 'GET', params: req.params })
    );
    return res.data;
  }
}
