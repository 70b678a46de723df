import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskVerb } from './mask.js';
import { runCli } from '../testing.js';

const run = (argv: string[], input = '') => runCli((io) => maskVerb.run(argv, io), input);

const dir = mkdtempSync(join(tmpdir(), 'cairn-mask-'));
const policyFile = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('cairn mask', () => {
  it('answers --help with usage and exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cairn mask');
  });

  it('rejects unknown arguments and missing values with exit 2', async () => {
    expect((await run(['--bogus'])).code).toBe(2);
    const r = await run(['--policy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--policy needs a value');
  });

  it('writes one masked line per input line, in order, JSON staying JSON', async () => {
    const input = [
      '{"msg":"paid 4111 1111 1111 1111","user":{"email":"jane@example.com","password":"hunter2"},"n":1.5}',
      'plain line from bob@example.org token=abc123def',
      '',
      'nothing sensitive here',
      '{not json but braces jane@example.com',
    ].join('\n');
    const r = await run([], input + '\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      msg: 'paid [REDACTED:card]',
      user: { email: '[REDACTED:email]', password: '[REDACTED:secret_value]' },
      n: 1.5,
    });
    expect(lines.slice(1)).toEqual([
      'plain line from [REDACTED:email] token=[REDACTED:secret_value]',
      '',
      'nothing sensitive here',
      '{not json but braces [REDACTED:email]',
      '',
    ]);
    expect(r.stderr).toContain('5 lines, 3 changed');
    expect(r.stderr).toMatch(/email\s+3/);
    expect(r.stderr).not.toContain('jane');
  });

  it('applies a policy file with service and environment overrides', async () => {
    const file = policyFile(
      'p.yaml',
      'version: 1\ndefault:\n  rules:\n    card: { action: partial }\nservices:\n  edge:\n    environments:\n      prod:\n        rules:\n          ipv4: { enabled: true }\n'
    );
    const line = 'card 4111111111111111 from 10.0.0.1\n';
    expect((await run(['--policy', file], line)).stdout).toBe('card ************1111 from 10.0.0.1\n');
    expect((await run(['--policy', file, '--service', 'edge', '--env=prod'], line)).stdout).toBe(
      'card ************1111 from [REDACTED:ip]\n'
    );
  });

  it('refuses an invalid policy, naming file, line and path', async () => {
    const file = policyFile('bad.yaml', 'version: 1\ndefault:\n  rules:\n    card: { action: shred }\n');
    const r = await run(['--policy', file], 'x\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4: default.rules.card.action`);
    expect(r.stdout).toBe('');
  });

  it('reports an unreadable policy file', async () => {
    const r = await run(['--policy', join(dir, 'missing.yaml')], 'x\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read policy');
  });
});
