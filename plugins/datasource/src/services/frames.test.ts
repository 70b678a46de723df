import { DataFrameType, FieldType, type DataFrame } from '@grafana/data';
import type { LogRecord, LogSearchResponse } from '@cairn/contract';
import { logsToFrame, patternsToFrame, seriesToFrame } from './frames';

const record = (over: Partial<LogRecord>): LogRecord => ({
  '@timestamp': '2024-05-01T10:00:00.000Z',
  message: 'payment failed for order 42',
  log: { level: 'error' },
  service: { name: 'checkout' },
  labels: { region: 'eu' },
  cairn: { format: 'json', repaired: [] },
  ...over,
});

const values = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)?.values;

describe('logsToFrame', () => {
  const response: LogSearchResponse = {
    total: 2,
    hits: [
      {
        id: 'a1',
        index: 'cairn-logs-error',
        record: record({ trace: { id: 'abc' }, template: { id: 't-9' }, deployment: { environment: 'prod' } }),
      },
      { id: 'b2', index: 'cairn-logs-default', record: record({ message: 'ok', log: { level: 'info' } }) },
    ],
  };

  it('follows the Grafana log-lines frame convention', () => {
    const frame = logsToFrame(response, 'A');
    expect(frame.refId).toBe('A');
    expect(frame.meta?.type).toBe(DataFrameType.LogLines);
    expect(frame.meta?.preferredVisualisationType).toBe('logs');
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['timestamp', FieldType.time],
      ['body', FieldType.string],
      ['severity', FieldType.string],
      ['id', FieldType.string],
      ['labels', FieldType.other],
    ]);
    expect(values(frame, 'timestamp')).toEqual([Date.parse('2024-05-01T10:00:00.000Z'), 1714557600000]);
    expect(values(frame, 'body')).toEqual(['payment failed for order 42', 'ok']);
    expect(values(frame, 'severity')).toEqual(['error', 'info']);
    expect(values(frame, 'id')).toEqual(['a1', 'b2']);
  });

  it('puts service, environment, template and trace into labels', () => {
    const labels = values(logsToFrame(response, 'A'), 'labels');
    expect(labels?.[0]).toEqual({
      region: 'eu',
      service: 'checkout',
      environment: 'prod',
      template: 't-9',
      trace_id: 'abc',
    });
    expect(labels?.[1]).toEqual({ region: 'eu', service: 'checkout' });
  });

  it('gives an empty frame for no hits', () => {
    expect(logsToFrame({ total: 0, hits: [] }, 'A').length).toBe(0);
  });
});

describe('patternsToFrame', () => {
  it('maps patterns to a table', () => {
    const frame = patternsToFrame(
      {
        patterns: [
          {
            templateId: 't1',
            pattern: 'user <*> logged in',
            service: 'auth',
            count: 120,
            lastSeen: '2024-05-01T10:00:00Z',
          },
          { templateId: 't2', pattern: 'disk <*> full', service: 'auth', count: 3, isNew: true },
        ],
      },
      'B'
    );
    expect(frame.length).toBe(2);
    expect(values(frame, 'pattern')).toEqual(['user <*> logged in', 'disk <*> full']);
    expect(values(frame, 'count')).toEqual([120, 3]);
    expect(values(frame, 'new')).toEqual([false, true]);
    expect(values(frame, 'lastSeen')).toEqual([Date.parse('2024-05-01T10:00:00Z'), null]);
  });
});

describe('seriesToFrame', () => {
  it('keeps the band fields and derives anomalies from the band when the bridge does not flag them', () => {
    const frame = seriesToFrame(
      {
        service: 'api',
        metric: 'error_rate',
        points: [
          { time: 1000, value: 5, expected: 4, lower: 2, upper: 6 },
          { time: '1970-01-01T00:01:00.000Z', value: 9, expected: 4, lower: 2, upper: 6, score: 3.2 },
          { time: 120000, value: 1, anomaly: false },
        ],
      },
      'C'
    );
    expect(frame.fields.map((f) => f.name)).toEqual([
      'time',
      'value',
      'expected',
      'lower',
      'upper',
      'score',
      'anomaly',
    ]);
    expect(values(frame, 'time')).toEqual([1000, 60000, 120000]);
    expect(values(frame, 'lower')).toEqual([2, 2, null]);
    expect(values(frame, 'anomaly')).toEqual([false, true, false]);
    expect(frame.fields[1]?.config.displayName).toBe('api error_rate');
  });
});
