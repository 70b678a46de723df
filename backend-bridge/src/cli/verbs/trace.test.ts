import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import traceExample from '../../domain/otlp/fixtures/trace.json' with { type: 'json' };
import { traceVerb } from './trace.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

async function runTrace(argv: string[], input: string): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  stdin.end(input);
  const code = await traceVerb.run(argv, { stdin, stdout, stderr });
  return { code, out, err };
}

function otlpSpan(
  id: string,
  parent: string | undefined,
  startMs: number,
  endMs: number,
  extra: Record<string, unknown> = {}
): Record<string, unknown> {
  const nanos = (msValue: number): string => (BigInt(1_700_000_000_000 + msValue) * 1_000_000n).toString();
  return {
    traceId: TRACE_ID,
    spanId: id,
    ...(parent ? { parentSpanId: parent } : {}),
    name: `op-${id.slice(-1)}`,
    kind: 2,
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: nanos(endMs),
    ...extra,
  };
}

function document(service: string, spans: unknown[]): string {
  return JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans }] },
    ],
  });
}

describe('cairn trace', () => {
  it('answers --help and refuses bad arguments with exit 2', async () => {
    expect((await runTrace(['--help'], '')).out).toMatch(/^Usage: cairn trace/);
    const bad = await runTrace(['--trace-id', 'xyz'], '');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--trace-id must be 32 hex/);
    expect((await runTrace(['--frobnicate'], '')).code).toBe(2);
  });

  it('assembles the opentelemetry-proto example', async () => {
    const { code, out } = await runTrace([], JSON.stringify(traceExample, null, 2));
    expect(code).toBe(0);
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      criticalPath: ['eee19b7ec3c1b174'],
      selfTimeMs: { eee19b7ec3c1b174: 1000 },
      errorOrigin: null,
      orphanSpanIds: [],
    });
  });

  it('reads JSON lines across services, rejects bad spans on stderr, reports critical path and error origin', async () => {
    const input = [
      document('web', [
        otlpSpan('00000000000000a1', undefined, 0, 100),
        otlpSpan('00000000000000a2', '00000000000000a1', 10, 60, { kind: 3 }),
        otlpSpan('00000000000000a3', '00000000000000a1', 20, 90, { kind: 3, status: { code: 2 } }),
        otlpSpan('bad', undefined, 0, 1),
      ]),
      document('db', [
        otlpSpan('00000000000000b1', '00000000000000a3', 25, 85, {
          status: { code: 'STATUS_CODE_ERROR', message: 'deadlock' },
          events: [
            {
              name: 'exception',
              timeUnixNano: '1700000000080000000',
              attributes: [{ key: 'exception.type', value: { stringValue: 'DeadlockError' } }],
            },
          ],
        }),
      ]),
      'not json',
    ].join('\n');
    const { code, out, err } = await runTrace([], input);
    expect(code).toBe(0);
    expect(err).toMatch(/line 3: not JSON/);
    expect(err).toMatch(/rejected document 1: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[3\].*spanId must be 16 hex/);
    const result = JSON.parse(out) as {
      criticalPath: string[];
      selfTimeMs: Record<string, number>;
      errorOrigin: { spanId: string; chain: string[]; exception: { type: string } };
      spans: { spanId: string; depth: number }[];
    };
    expect(result.criticalPath).toEqual(['00000000000000a1', '00000000000000a3', '00000000000000b1']);
    expect(result.selfTimeMs).toEqual({
      '00000000000000a1': 20,
      '00000000000000a2': 50,
      '00000000000000a3': 10,
      '00000000000000b1': 60,
    });
    expect(result.errorOrigin.spanId).toBe('00000000000000b1');
    expect(result.errorOrigin.chain).toEqual(['00000000000000b1', '00000000000000a3', '00000000000000a1']);
    expect(result.errorOrigin.exception.type).toBe('DeadlockError');
    expect(result.spans.map((s) => [s.spanId.slice(-2), s.depth])).toEqual([
      ['a1', 0],
      ['a2', 1],
      ['a3', 1],
      ['b1', 2],
    ]);
    expect((await runTrace(['--strict'], input)).code).toBe(1);
  });

  it('exits 1 with a clear message when nothing valid arrives', async () => {
    const empty = await runTrace([], '{"resourceSpans": 5}');
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/resourceSpans must be an array/);
    expect(empty.err).toMatch(/no valid spans/);
    const big = await runTrace(['--max-input-bytes', '10'], document('web', [otlpSpan('00000000000000a1', '', 0, 1)]));
    expect(big.code).toBe(1);
    expect(big.err).toMatch(/larger than --max-input-bytes/);
  });
});
