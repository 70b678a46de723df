import { describe, expect, it } from 'vitest';
import { normalizeBytes, normalizeLine } from './index.js';

const ctx = { topic: 'cairn.logs', partition: 2, offset: '41', key: 'checkout', receivedAtMs: Date.UTC(2026, 10, 25, 12) };

describe('normalizeLine: JSON', () => {
  it('maps ECS, OTel and common aliases to one record', () => {
    const r = normalizeLine(
      JSON.stringify({
        ts: '2026-11-25T10:00:00.123Z',
        level: 'WARNING',
        msg: 'payment slow',
        service: { name: 'payments', version: '1.4.2' },
        env: 'prod',
        hostname: 'node-7',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        request_id: 'req-9',
        userId: 'u-12',
        session_id: 's-1',
        duration_ms: 812,
        cart: { items: 3 },
      }),
      ctx
    );
    expect(r['@timestamp']).toBe('2026-11-25T10:00:00.123Z');
    expect(r.log.level).toBe('warn');
    expect(r.message).toBe('payment slow');
    expect(r.service).toEqual({ name: 'payments', version: '1.4.2' });
    expect(r.deployment?.environment).toBe('prod');
    expect(r.host?.name).toBe('node-7');
    expect(r.trace?.id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(r.span?.id).toBe('00f067aa0ba902b7');
    expect(r.http?.request?.id).toBe('req-9');
    expect(r.user?.id).toBe('u-12');
    expect(r.session?.id).toBe('s-1');
    expect(r.event?.duration).toBe(812_000_000);
    expect(r.labels.cart_items).toBe('3');
    expect(r.cairn).toEqual({
      format: 'json',
      repaired: [],
      source: { topic: 'cairn.logs', partition: 2, offset: '41' },
    });
  });

  it('repairs missing time, service and level from the transport and the text, and says so', () => {
    const r = normalizeLine('{"message":"connection refused by db"}', ctx);
    expect(r['@timestamp']).toBe(new Date(ctx.receivedAtMs).toISOString());
    expect(r.service.name).toBe('checkout');
    expect(r.log.level).toBe('error');
    expect(r.cairn.repaired).toEqual(['timestamp_from_kafka', 'level_inferred', 'service_from_key']);
  });

  it('reads pino numeric levels and epoch millis', () => {
    const r = normalizeLine('{"level":50,"time":1764064800000,"msg":"boom","name":"x"}', ctx);
    expect(r.log.level).toBe('error');
    expect(r['@timestamp']).toBe('2025-11-25T10:00:00.000Z');
  });

  it('keeps an unparseable timestamp as a label and flags it', () => {
    const r = normalizeLine('{"time":"yesterday-ish","msg":"x","level":"info","service":"a"}', ctx);
    expect(r.cairn.repaired).toContain('timestamp_unparseable');
    expect(r.labels.original_timestamp).toBe('yesterday-ish');
  });

  it('survives JSON nested 10,000 deep without recursion blow-up', () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const r = normalizeLine(deep, ctx);
    expect(r.cairn.repaired).toContain('json_too_deep');
    expect(r.labels.a_a_a_a).toBeDefined();
    expect(r.labels.a_a_a_a?.length).toBeLessThanOrEqual(1024);
  });

  it('treats a number where an object is expected as a label, flagged', () => {
    const r = normalizeLine('{"msg":"x","error":{"message":"bad","type":"IOError"},"service":{"name":"s"},"http":5}', ctx);
    expect(r.error).toEqual({ message: 'bad', type: 'IOError' });
    expect(r.labels.http).toBe('5');
    const conflict = normalizeLine('{"msg":"x","trace_id":{"nested":true}}', ctx);
    expect(conflict.cairn.repaired).toContain('field_conflict');
  });
});

describe('normalizeLine: logfmt', () => {
  it('parses quoted values and known keys', () => {
    const r = normalizeLine(
      'time=2026-11-25T09:00:00Z level=error service=cart msg="checkout failed: card declined" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 user_id=42',
      ctx
    );
    expect(r.cairn.format).toBe('logfmt');
    expect(r.message).toBe('checkout failed: card declined');
    expect(r.log.level).toBe('error');
    expect(r.service.name).toBe('cart');
    expect(r.trace?.id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(r.user?.id).toBe('42');
  });
});

describe('normalizeLine: plain text', () => {
  it('parses RFC 5424 syslog', () => {
    const r = normalizeLine('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] An application event', ctx);
    expect(r.cairn.format).toBe('syslog5424');
    expect(r['@timestamp']).toBe('2003-10-11T22:14:15.003Z');
    expect(r.host?.name).toBe('mymachine.example.com');
    expect(r.service.name).toBe('evntslog');
    expect(r.log.level).toBe('info');
    expect(r.message).toBe('An application event');
  });

  it('parses RFC 3164 syslog with the year from the reference clock', () => {
    const r = normalizeLine('<34>Oct 11 22:14:15 mymachine su[123]: \'su root\' failed for lonvick on /dev/pts/8', ctx);
    expect(r.cairn.format).toBe('syslog3164');
    expect(r['@timestamp']).toBe('2026-10-11T22:14:15.000Z');
    expect(r.service.name).toBe('su');
    expect(r.log.level).toBe('fatal');
    expect(r.labels.process_pid).toBe('123');
  });

  it('parses combined access logs', () => {
    const r = normalizeLine(
      '203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 503 2326 "http://example.com/" "Mozilla/4.08"',
      ctx
    );
    expect(r.cairn.format).toBe('access');
    expect(r['@timestamp']).toBe('2000-10-10T20:55:36.000Z');
    expect(r.http?.response?.status_code).toBe(503);
    expect(r.http?.request?.method).toBe('GET');
    expect(r.url?.path).toBe('/apache_pb.gif');
    expect(r.log.level).toBe('error');
    expect(r.service.name).toBe('checkout');
  });

  it('parses "ISO-timestamp LEVEL message" with inline IDs', () => {
    const r = normalizeLine('2026-11-25 08:01:47,978 [main] ERROR c.a.Pay - charge failed request_id=abc-1 trace_id=4BF92F3577B34DA6A3CE929D0E0E4736', ctx);
    expect(r['@timestamp']).toBe('2026-11-25T08:01:47.978Z');
    expect(r.log.level).toBe('error');
    expect(r.http?.request?.id).toBe('abc-1');
    expect(r.trace?.id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('infers the level of prose and does not read one out of it', () => {
    const r = normalizeLine('user logged in from new device', ctx);
    expect(r.log.level).toBe('info');
    expect(r.cairn.repaired).toContain('level_inferred');
  });

  it('flags an empty message and a topic with no service', () => {
    const r = normalizeLine('', { topic: 'cairn.logs', receivedAtMs: ctx.receivedAtMs });
    expect(r.message).toBe('');
    expect(r.service.name).toBe('unknown');
    expect(r.cairn.repaired).toEqual(expect.arrayContaining(['message_empty', 'service_unknown', 'timestamp_from_kafka']));
    const fromTopic = normalizeLine('hello', { topic: 'logs.billing' });
    expect(fromTopic.service.name).toBe('billing');
    expect(fromTopic.cairn.repaired).toContain('service_from_topic');
  });

  it('truncates a 10 MB line and flags it', () => {
    const r = normalizeLine('x'.repeat(10 * 1024 * 1024), ctx);
    expect(r.message.length).toBe(256 * 1024);
    expect(r.cairn.repaired).toContain('message_truncated');
  });
});

describe('normalizeBytes', () => {
  it('flags invalid UTF-8 and keeps the line', () => {
    const bytes = Buffer.concat([Buffer.from('level=info msg="bad '), Buffer.from([0xff, 0xfe]), Buffer.from('" service=a')]);
    const r = normalizeBytes(bytes, ctx);
    expect(r.cairn.repaired).toContain('invalid_utf8');
    expect(r.message).toContain('bad');
    const ok = normalizeBytes(Buffer.from('level=info msg="valid \uFFFD replacement char" service=a'), ctx);
    expect(ok.cairn.repaired).not.toContain('invalid_utf8');
  });
});

describe('normalizeLine: OTLP/JSON log records', () => {
  it('maps an OTLP LogRecord with resource and attributes', () => {
    const r = normalizeLine(
      JSON.stringify({
        timeUnixNano: '1764064800123000000',
        severityNumber: 17,
        severityText: 'ERROR',
        body: { stringValue: 'payment declined' },
        traceId: '5B8EFFF798038103D269B633813FC60C',
        spanId: 'EEE19B7EC3C1B174',
        attributes: [
          { key: 'user.id', value: { stringValue: 'u-7' } },
          { key: 'retry', value: { intValue: '2' } },
        ],
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payments' } }] },
      }),
      ctx
    );
    expect(r.cairn.format).toBe('otlp');
    expect(r['@timestamp']).toBe('2025-11-25T10:00:00.123Z');
    expect(r.log.level).toBe('error');
    expect(r.message).toBe('payment declined');
    expect(r.service.name).toBe('payments');
    expect(r.trace?.id).toBe('5b8efff798038103d269b633813fc60c');
    expect(r.span?.id).toBe('eee19b7ec3c1b174');
    expect(r.user?.id).toBe('u-7');
    expect(r.labels.retry).toBe('2');
    expect(r.cairn.repaired).toEqual([]);
  });
});
