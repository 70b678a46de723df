import { buildBridgeRequest, toIntervalParam } from './queryBuilder';
import type { CairnQuery } from '../types';

const range = { from: 1_700_000_000_000, to: 1_700_003_600_000 };
const q = (over: Partial<CairnQuery>): CairnQuery => ({ refId: 'A', queryType: 'logs', ...over });

describe('buildBridgeRequest', () => {
  it('builds a logs search with trimmed text, service, level and limit', () => {
    expect(
      buildBridgeRequest(q({ service: ' checkout ', query: ' timeout ', level: 'error', limit: 50 }), range)
    ).toEqual({
      path: '/api/v1/logs/search',
      params: {
        from: '1700000000000',
        to: '1700003600000',
        service: 'checkout',
        query: 'timeout',
        level: 'error',
        limit: '50',
      },
    });
  });

  it('omits empty optional params and clamps the limit', () => {
    const req = buildBridgeRequest(q({ service: '  ', query: '', limit: 99_999 }), range);
    expect(req && req.params).toEqual({ from: '1700000000000', to: '1700003600000', limit: '5000' });
  });

  it('ignores free text for patterns, sends the sparkline interval and clamps to the patterns limit', () => {
    const req = buildBridgeRequest(
      q({ queryType: 'patterns', service: 'api', query: 'ignored', limit: 9999 }),
      range,
      300_000
    );
    expect(req).toEqual({
      path: '/api/v1/patterns/top',
      params: { from: '1700000000000', to: '1700003600000', service: 'api', interval: '5m', limit: '500' },
    });
  });

  it('requires a service for series, defaults the metric and sends no limit', () => {
    expect(buildBridgeRequest(q({ queryType: 'series' }), range)).toBe(false);
    expect(buildBridgeRequest(q({ queryType: 'series', service: 'api', limit: 5 }), range, 300_000)).toEqual({
      path: '/api/v1/series',
      params: { from: '1700000000000', to: '1700003600000', service: 'api', metric: 'error_rate' },
    });
    expect(buildBridgeRequest(q({ queryType: 'series', service: 'api', metric: 'volume' }), range)).toEqual({
      path: '/api/v1/series',
      params: { from: '1700000000000', to: '1700003600000', service: 'api', metric: 'volume' },
    });
  });

  it('rejects an unknown query type from a saved dashboard', () => {
    expect(buildBridgeRequest(q({ queryType: 'sql' as CairnQuery['queryType'] }), range)).toBe(false);
  });
});

describe('toIntervalParam', () => {
  it.each([
    [1_000, '1m'],
    [90_000, '2m'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
  ])('%d ms -> %s', (ms, expected) => {
    expect(toIntervalParam(ms)).toBe(expected);
  });
});
