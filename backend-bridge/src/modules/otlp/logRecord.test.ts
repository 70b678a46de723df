import { describe, expect, it } from 'vitest';
import { normalizeLine } from '../../domain/normalize/index.js';
import { decodeExportLogsServiceRequest } from '../../domain/otlp/index.js';
import { otlpLogToEcsJson } from './logRecord.js';

describe('OTLP logs as ECS JSON lines for cairn.logs', () => {
  it('normalizes to the record the log pipeline indexes', () => {
    const { logs } = decodeExportLogsServiceRequest({
      resourceLogs: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'pay' } },
              { key: 'host.name', value: { stringValue: 'h1' } },
            ],
          },
          scopeLogs: [
            {
              scope: { name: 'pay.logger' },
              logRecords: [
                {
                  timeUnixNano: '1700000000123000000',
                  severityNumber: 17,
                  body: { stringValue: 'card declined' },
                  traceId: 'ab'.repeat(16),
                  spanId: 'cd'.repeat(8),
                  attributes: [
                    { key: 'user.id', value: { stringValue: 'u-1' } },
                    { key: 'exception.type', value: { stringValue: 'Declined' } },
                    { key: 'items', value: { arrayValue: { values: [{ intValue: '1' }] } } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const first = logs[0];
    if (!first) throw new Error('no log');
    const line = otlpLogToEcsJson(first);
    expect(line).toMatchObject({
      'error.type': 'Declined',
      items: '[1]',
      'log.logger': 'pay.logger',
      severity_number: 17,
    });
    const record = normalizeLine(JSON.stringify(line), { format: 'otlp', key: 'pay', topic: 'cairn.logs' });
    expect(record).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.123Z',
      message: 'card declined',
      log: { level: 'error' },
      service: { name: 'pay' },
      trace: { id: 'ab'.repeat(16) },
      span: { id: 'cd'.repeat(8) },
      user: { id: 'u-1' },
      cairn: { format: 'otlp', repaired: [] },
    });
  });
});
