import { isRecord, narrowQueryType } from './narrowing';

describe('narrowQueryType', () => {
  it('accepts the known query types only', () => {
    expect(narrowQueryType('logs')).toBe('logs');
    expect(narrowQueryType('patterns')).toBe('patterns');
    expect(narrowQueryType('series')).toBe('series');
    expect(narrowQueryType('LOGS')).toBe(false);
    expect(narrowQueryType(undefined)).toBe(false);
    expect(narrowQueryType(1)).toBe(false);
  });
});

describe('isRecord', () => {
  it('is true for plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
  });
});
