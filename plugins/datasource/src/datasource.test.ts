import { of, throwError } from 'rxjs';
import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import { DataSource } from './datasource';
import type { CairnDataSourceOptions, CairnQuery } from './types';

const fetchMock = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: fetchMock }),
  getTemplateSrv: () => ({ replace: (s: string) => s.replace('$service', 'checkout') }),
}));

const settings = {
  id: 1,
  uid: 'cairn',
  name: 'Cairn',
  type: 'cairn-bridge-datasource',
  url: '/api/datasources/proxy/uid/cairn',
  jsonData: {},
  meta: {},
  access: 'proxy',
  readOnly: false,
} as unknown as DataSourceInstanceSettings<CairnDataSourceOptions>;

function request(targets: CairnQuery[]): DataQueryRequest<CairnQuery> {
  const from = dateTime(1_700_000_000_000);
  const to = dateTime(1_700_003_600_000);
  return {
    targets,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    intervalMs: 60_000,
    interval: '1m',
    requestId: 'r',
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

beforeEach(() => fetchMock.mockReset());

describe('DataSource', () => {
  it('queries logs through the proxy route with interpolated variables', async () => {
    fetchMock.mockReturnValue(of({ data: { total: 0, hits: [] } }));
    const ds = new DataSource(settings);
    const res = await ds.query(request([{ refId: 'A', queryType: 'logs', service: '$service' }]));
    expect(fetchMock).toHaveBeenCalledWith({
      url: '/api/datasources/proxy/uid/cairn/api/v1/logs/search',
      method: 'GET',
      params: { from: '1700000000000', to: '1700003600000', service: 'checkout' },
    });
    expect(res.data).toHaveLength(1);
    expect(res.data[0].meta.preferredVisualisationType).toBe('logs');
  });

  it('skips hidden queries and series without a service', async () => {
    const ds = new DataSource(settings);
    const res = await ds.query(
      request([
        { refId: 'A', queryType: 'logs', hide: true },
        { refId: 'B', queryType: 'series' },
      ])
    );
    expect(fetchMock).not.toHaveBeenCalled();
    expect(res.data).toEqual([]);
  });

  it('lists services for variables', async () => {
    fetchMock.mockReturnValue(of({ data: { services: [{ name: 'api', count: 3, errors: 0 }] } }));
    await expect(new DataSource(settings).metricFindQuery()).resolves.toEqual([{ text: 'api', value: 'api' }]);
  });

  it('reports a rejected token on test', async () => {
    fetchMock.mockReturnValue(throwError(() => ({ status: 401, data: { error: 'bad token' }, config: {} })));
    const result = await new DataSource(settings).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toContain('token was rejected');
    expect(result.message).toContain('bad token');
  });

  it('reports success with the service count', async () => {
    fetchMock.mockReturnValue(of({ data: { services: [] } }));
    await expect(new DataSource(settings).testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Connected to the Cairn bridge: 0 services seen.',
    });
  });
});
