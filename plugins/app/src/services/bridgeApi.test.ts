import {
  errorRatio,
  narrowPatterns,
  narrowServices,
  patternsParams,
  proxyPath,
  resolveDatasourceUid,
} from './bridgeApi';

describe('resolveDatasourceUid', () => {
  const list = [
    { uid: 'es', type: 'elasticsearch' },
    { uid: 'c1', type: 'cairn-bridge-datasource' },
    { uid: 'c2', type: 'cairn-bridge-datasource' },
  ];
  it('prefers the configured Cairn datasource, else the first one', () => {
    expect(resolveDatasourceUid('c2', list, 'cairn-bridge-datasource')).toBe('c2');
    expect(resolveDatasourceUid(undefined, list, 'cairn-bridge-datasource')).toBe('c1');
    expect(resolveDatasourceUid('es', list, 'cairn-bridge-datasource')).toBe('c1');
    expect(resolveDatasourceUid('c1', [], 'cairn-bridge-datasource')).toBe(false);
  });
});

describe('proxyPath', () => {
  it('goes through the data proxy under the contract prefix', () => {
    expect(proxyPath('a b', '/services')).toBe('/api/datasources/proxy/uid/a%20b/api/v1/services');
  });
});

describe('patternsParams', () => {
  it('defaults to the last hour, top 10', () => {
    expect(patternsParams('api')).toEqual({ service: 'api', from: 'now-1h', to: 'now', limit: '10' });
  });
});

describe('narrowServices', () => {
  it('keeps well-formed services, busiest first', () => {
    expect(
      narrowServices({
        services: [
          { name: 'a', count: 1, errors: 0 },
          { name: 'b', count: 5, errors: 1 },
          { name: 'bad', count: '5' },
        ],
      })
    ).toEqual([
      { name: 'b', count: 5, errors: 1 },
      { name: 'a', count: 1, errors: 0 },
    ]);
  });
  it('is false for anything else', () => {
    expect(narrowServices(null)).toBe(false);
    expect(narrowServices({ services: 'x' })).toBe(false);
  });
});

describe('narrowPatterns', () => {
  it('keeps well-formed patterns, most frequent first', () => {
    const p = (id: string, count: number) => ({
      id,
      pattern: `p ${id}`,
      service: 's',
      count,
      share: 0.5,
      errors: 0,
      series: [],
      aliases: [],
    });
    expect(narrowPatterns({ patterns: [p('t1', 1), p('t2', 7), { id: 3 }, { ...p('t3', 2), errors: '1' }] })).toEqual([
      p('t2', 7),
      p('t1', 1),
    ]);
    expect(narrowPatterns([])).toBe(false);
  });
});

describe('errorRatio', () => {
  it('formats a percentage', () => {
    expect(errorRatio({ name: 'a', count: 200, errors: 3 })).toBe('1.5%');
    expect(errorRatio({ name: 'a', count: 0, errors: 0 })).toBe('-');
  });
});
