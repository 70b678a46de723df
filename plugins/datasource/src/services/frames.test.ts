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
  it('maps the contract top patterns to a table', () => {
    const frame = patternsToFrame(
      {
        total: 123,
        interval: '1m',
        patterns: [
          {
            id: 'aaaaaaaaaaa1',
            pattern: 'user <*> logged in',
            service: 'auth',
            count: 120,
            share: 0.975,
            errors: 0,
            series: [{ time: 1000, count: 120 }],
            aliases: [],
          },
          {
            id: 'aaaaaaaaaaa2',
            pattern: 'disk <*> full',
            service: 'auth',
            count: 3,
            share: 0.025,
            errors: 3,
            series: [],
            aliases: ['bbbbbbbbbbb2'],
          },
        ],
      },
      'B'
    );
    expect(frame.length).toBe(2);
    expect(frame.fields.map((f) => f.name)).toEqual(['pattern', 'count', 'share', 'errors', 'service', 'templateId']);
    expect(values(frame, 'pattern')).toEqual(['user <*> logged in', 'disk <*> full']);
    expect(values(frame, 'count')).toEqual([120, 3]);
    expect(values(frame, 'errors')).toEqual([0, 3]);
    expect(values(frame, 'templateId')).toEqual(['aaaaaaaaaaa1', 'aaaaaaaaaaa2']);
    expect(frame.meta?.custom).toEqual({ total: 123, interval: '1m' });
  });
});

describe('seriesToFrame', () => {
  it('keeps the band fields and flags points scored high or outside the band', () => {
    const frame = seriesToFrame(
      {
        service: 'api',
        metric: 'error_rate',
        tier: 'critical',
        points: [
          { time: 0, value: 1, expected: null, lower: null, upper: null, score: 0 },
          { time: 60000, value: 5, expected: 4, lower: 2, upper: 6, score: 0.4 },
          { time: 120000, value: 9, expected: 4, lower: 2, upper: 6, score: 0.98 },
          { time: 180000, value: 5.9, expected: 4, lower: 2, upper: 6, score: 0.995 },
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
    expect(values(frame, 'time')).toEqual([0, 60000, 120000, 180000]);
    expect(values(frame, 'lower')).toEqual([null, 2, 2, 2]);
    expect(values(frame, 'anomaly')).toEqual([false, false, true, true]);
    expect(frame.fields[1]?.config.displayName).toBe('api error_rate');
    expect(frame.meta?.custom).toEqual({ tier: 'critical' });
  });
});
