import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spanBulkDoc } from '../../adapters/elasticsearch/spans.js';
import { parseSpanMessage } from './spanMessages.js';

const fixture = readFileSync(join(import.meta.dirname, '../../domain/otlp/fixtures/trace.json'));

describe('cairn.spans records', () => {
  it('reads decoded spans, OTLP/JSON requests and bare OTLP spans; names what it cannot read', () => {
    const fromRequest = parseSpanMessage(fixture);
    if (!('spans' in fromRequest)) throw new Error(fromRequest.error);
    expect(fromRequest.spans.length).toBeGreaterThan(0);
    const span = fromRequest.spans[0];
    if (!span) throw new Error('no span');
    expect(parseSpanMessage(Buffer.from(JSON.stringify(span)))).toEqual({ spans: [span] });
    const bare = parseSpanMessage(
      Buffer.from(
        JSON.stringify({
          traceId: 'ab'.repeat(16),
          spanId: 'cd'.repeat(8),
          name: 'x',
          startTimeUnixNano: '1000',
          endTimeUnixNano: '2000',
        })
      )
    );
    expect('spans' in bare && bare.spans[0]?.['service.name']).toBe('unknown_service');
    expect(parseSpanMessage(null)).toEqual({ error: 'empty record' });
    expect(parseSpanMessage(Buffer.from('{'))).toMatchObject({ error: expect.stringMatching(/not JSON/) });
    expect(parseSpanMessage(Buffer.from('{"traceId":"ab","spanId":"cd"}'))).toMatchObject({
      error: expect.stringMatching(/traceId must be 32 hex/),
    });
    expect(parseSpanMessage(Buffer.from('[1]'))).toEqual({ error: 'not a JSON object' });
  });

  it('indexes each span under trace+span ID with user and session copied out for searches', () => {
    const parsed = parseSpanMessage(fixture);
    if (!('spans' in parsed) || !parsed.spans[0]) throw new Error('no span');
    const span = {
      ...parsed.spans[0],
      attributes: { ...parsed.spans[0].attributes, 'enduser.id': 'u-7', 'session.id': 's-1' },
    };
    const doc = spanBulkDoc(span, 'cairn-spans');
    expect(doc.id).toBe(`${span['trace.id']}${span['span.id']}`);
    expect(JSON.parse(doc.json)).toMatchObject({ 'user.id': 'u-7', 'session.id': 's-1', 'trace.id': span['trace.id'] });
  });
});
