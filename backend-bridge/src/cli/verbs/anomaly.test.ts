import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { anomalyVerb, parseTimestamp } from './anomaly.js';

async function runVerb(argv: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdin.end(input);
  const code = await anomalyVerb.run(argv, { stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}

function csv(values: number[], header = true): string {
  const start = Date.UTC(2024, 0, 1);
  const rows = values.map((v, i) => `${new Date(start + i * 300_000).toISOString()},${v}`);
  return (header ? ['timestamp,value', ...rows] : rows).join('\n') + '\n';
}

// Deterministic noise around 50 with one large spike at row 700.
const values = Array.from({ length: 800 }, (_, i) => (i === 700 ? 400 : 50 + ((i * 7919) % 13) - 6));

describe('cairn anomaly', () => {
  it('answers --help with usage and exit 0', async () => {
    const r = await runVerb(['--help'], '');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cairn anomaly');
  });

  it('rejects unknown arguments with exit 2', async () => {
    const r = await runVerb(['--bogus'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unexpected argument '--bogus'");
  });

  it('writes one scored row per input row, with a header, and flags the spike', async () => {
    const r = await runVerb([], csv(values));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score');
    expect(lines).toHaveLength(values.length + 1);
    const scores = lines.slice(1).map((l) => Number(l.split(',')[2]));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores[700]).toBeGreaterThan(0.99);
    expect(Math.max(...scores.slice(0, 700))).toBeLessThan(scores[700] ?? 0);
    expect(lines[701]?.split(',')[1]).toBe('400');
  });

  it('accepts input without a header and scores each row from past rows only', async () => {
    const full = await runVerb([], csv(values, false));
    const prefix = await runVerb([], csv(values.slice(0, 701), false));
    expect(full.stdout.trim().split('\n')).toHaveLength(values.length + 1);
    // the first 701 scores do not change when later rows are appended
    expect(full.stdout.split('\n').slice(0, 702)).toEqual(prefix.stdout.split('\n').slice(0, 702));
  });

  it('names the bad line and exits 2', async () => {
    const bad = await runVerb([], 'timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:05:00Z,abc\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 3: not a number: abc');
    const badTs = await runVerb([], '2024-01-01T00:00:00Z,1\nyesterday,2\n');
    expect(badTs.stderr).toContain('line 2: not a timestamp: yesterday');
    const fields = await runVerb([], '2024-01-01T00:00:00Z,1,2\n');
    expect(fields.stderr).toContain('line 1: expected 2 fields');
    const back = await runVerb([], '2024-01-01T00:05:00Z,1\n2024-01-01T00:00:00Z,2\n');
    expect(back.stderr).toContain('line 2: timestamp goes back in time');
  });
});

describe('parseTimestamp', () => {
  it('reads ISO, space-separated UTC and epoch seconds/milliseconds', () => {
    const t = Date.UTC(2014, 3, 10, 7, 15);
    expect(parseTimestamp('2014-04-10 07:15:00')).toBe(t);
    expect(parseTimestamp('2014-04-10T07:15:00Z')).toBe(t);
    expect(parseTimestamp('2014-04-10T09:15:00+02:00')).toBe(t);
    expect(parseTimestamp(String(t / 1000))).toBe(t);
    expect(parseTimestamp(String(t))).toBe(t);
    expect(parseTimestamp('value')).toBeNaN();
  });
});
