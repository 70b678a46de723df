// node --test examples/node-service/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractContext, injectHeaders, parseTraceparent, parseTracestate } from './traceContext.mjs';

const TP = '00-12345678901234567890123456789012-1234567890123456-01';

test('traceparent: version 00 exactly, future versions read as 00, invalid headers ignored', () => {
  assert.deepEqual(parseTraceparent(` \t${TP}\t `), {
    traceId: '12345678901234567890123456789012',
    parentId: '1234567890123456',
    flags: 1,
  });
  assert.equal(parseTraceparent(`${TP}-extra`), undefined);
  assert.equal(parseTraceparent(`${TP}.`), undefined);
  assert.ok(parseTraceparent(`cc${TP.slice(2)}-what-the-future-will-be-like`));
  assert.equal(parseTraceparent(`cc${TP.slice(2)}.future`), undefined);
  assert.equal(parseTraceparent(`ff${TP.slice(2)}`), undefined);
  assert.equal(parseTraceparent('00-ABCDEF78901234567890123456789012-1234567890123456-01'), undefined);
  assert.equal(parseTraceparent('00-00000000000000000000000000000000-1234567890123456-01'), undefined);
  assert.equal(parseTraceparent('00-12345678901234567890123456789012-0000000000000000-01'), undefined);
  assert.equal(parseTraceparent('00-12345678901234567890123456789012-1234567890123456-1'), undefined);
});

test('tracestate: list rules, OWS, first of duplicated keys, 32 members max', () => {
  assert.deepEqual(parseTracestate(['foo=1 \t , \t bar=2', '', 'baz=3']), [
    ['foo', '1'],
    ['bar', '2'],
    ['baz', '3'],
  ]);
  assert.deepEqual(parseTracestate('foo=1,foo=2'), [['foo', '1']]);
  assert.deepEqual(parseTracestate('foo@bar@baz=1,t@vvv=2'), [
    ['foo@bar@baz', '1'],
    ['t@vvv', '2'],
  ]);
  for (const bad of ['FOO=1', 'foo.bar=1', '@foo=1', 'foo=bar=baz', 'foo=', 'foo =1', `${'z'.repeat(257)}=1`]) {
    assert.deepEqual(parseTracestate(`${bad},ok=1`), [], bad);
  }
  const members = Array.from({ length: 33 }, (_, i) => `k${i}=${i}`);
  assert.equal(parseTracestate(members.slice(0, 32).join(',')).length, 32);
  assert.deepEqual(parseTracestate(members.join(',')), []);
});

test('extract and inject: same trace, new parent, tracestate kept; invalid or duplicated traceparent restarts', () => {
  const ctx = extractContext({ headers: {}, headersDistinct: { traceparent: [TP], tracestate: ['foo=1'] } });
  assert.equal(ctx.traceId, '12345678901234567890123456789012');
  const out = injectHeaders(ctx, 'abcdefabcdefabcd', ['cairn', 'x']);
  assert.equal(out.traceparent, '00-12345678901234567890123456789012-abcdefabcdefabcd-01');
  assert.equal(out.tracestate, 'cairn=x,foo=1');
  const restarted = extractContext({ headers: {}, headersDistinct: { traceparent: [TP, TP], tracestate: ['foo=1'] } });
  assert.notEqual(restarted.traceId, ctx.traceId);
  assert.deepEqual(restarted.tracestate, []);
});
