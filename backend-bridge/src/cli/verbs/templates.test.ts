import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesVerb } from './templates.js';
import { runCli } from '../testing.js';

const run = (argv: string[], input: string) => runCli((io) => templatesVerb.run(argv, io), input);

describe('cairn templates', () => {
  it('writes one JSON object per input line, in order', async () => {
    const { code, stdout } = await run([], 'took 12 ms\nhello world\ntook 15 ms\n');
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { templateId: string; template: string; params: string[] });
    expect(rows).toHaveLength(3);
    expect(rows[0]?.templateId).toBe(rows[2]?.templateId);
    expect(rows[2]?.template).toBe('took <*>');
    expect(rows[2]?.params).toEqual(['15 ms']);
    expect(rows[1]?.template).toBe('hello world');
  });

  it('loads and saves --state so a second run gives the same IDs', async () => {
    const state = join(mkdtempSync(join(tmpdir(), 'cairn-tpl-')), 'state.json');
    const first = await run(['--state', state], 'user alice logged in from 10.0.0.1\n');
    expect(JSON.parse(readFileSync(state, 'utf8')).templates).toHaveLength(1);
    const second = await run(['--state', state], 'user alice logged in from 10.0.0.9\n');
    const a = JSON.parse(first.stdout) as { templateId: string };
    const b = JSON.parse(second.stdout) as { templateId: string; isNew: boolean };
    expect(b.templateId).toBe(a.templateId);
    expect(b.isNew).toBe(false);
  });

  it('answers --help and rejects bad arguments with exit 2', async () => {
    expect((await run(['--help'], '')).stdout).toContain('Usage: cairn templates');
    const bad = await run(['--bogus'], '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown argument');
    expect((await run(['--state'], '')).code).toBe(2);
  });
});
