import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../types.js';
import { parseStackArgs, stackVerb } from './stack.js';

describe('parseStackArgs', () => {
  it('parses an action with options', () => {
    expect(parseStackArgs(['start', '--reset', '--only', 'es', '--es-heap', '2g'])).toEqual({
      action: 'start',
      reset: true,
      services: ['elasticsearch'],
      esHeap: '2g',
      kafkaHeap: undefined,
    });
  });

  it('returns undefined for --help', () => {
    expect(parseStackArgs(['--help'])).toBeUndefined();
  });

  it('rejects bad usage', () => {
    expect(() => parseStackArgs([])).toThrow(CliUsageError);
    expect(() => parseStackArgs(['launch'])).toThrow(CliUsageError);
    expect(() => parseStackArgs(['stop', '--reset'])).toThrow(/--reset only goes with start/);
    expect(() => parseStackArgs(['start', '--only', 'redis'])).toThrow(CliUsageError);
    expect(() => parseStackArgs(['start', '--es-heap'])).toThrow(/needs a value/);
    expect(() => parseStackArgs(['start', 'stop'])).toThrow(/one action/);
  });
});

describe('stackVerb --help', () => {
  it('prints usage to stdout and exits 0', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await stackVerb.run(['--help'], { stdin: new PassThrough(), stdout, stderr: new PassThrough() });
    expect(code).toBe(0);
    expect(out).toContain('Usage: cairn stack <start|stop|status>');
  });
});
