import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { runCli } from './testing.js';

const cairn = (argv: string[], input = '') => runCli((io) => main(argv, io), input);

describe('cairn CLI', () => {
  it('lists verbs, answers --help for each, and refuses unknown verbs and arguments', async () => {
    const help = await cairn(['--help']);
    expect(help.code).toBe(0);
    for (const verb of ['stack', 'demo', 'bridge', 'normalize', 'mask', 'route', 'templates', 'anomaly', 'trace']) {
      expect(help.stdout).toContain(verb);
      expect((await cairn([verb, '--help'])).code, verb).toBe(0);
    }
    expect((await cairn(['frobnicate'])).code).toBe(2);
    const bad = await cairn(['normalize', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown argument: --bogus');
  });

  it('normalize writes exactly one JSON record per input line, in order', async () => {
    const input = ['{"msg":"one","level":"info"}', 'level=warn msg="two"', '<13>Oct 11 22:14:15 host app: three', '', 'four'].join('\n') + '\n';
    const r = await cairn(['normalize', '--service', 'svc'], input);
    expect(r.code).toBe(0);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { message: string; service: { name: string } });
    expect(records.map((x) => x.message)).toEqual(['one', 'two', 'three', '', 'four']);
    expect(records[0]?.service.name).toBe('svc');
    expect(r.stderr).toContain('normalized 5 lines');
  });

  it('route --dry-run shows each decision and refuses a bad rules file with its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'rules:\n  - name: drop-debug\n    match: { level: debug }\n    action: drop\n');
    const r = await cairn(['route', '--rules', good, '--dry-run'], 'level=debug msg=x\nlevel=error msg=y\n');
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { action: 'drop', rule: 'drop-debug' },
      { action: 'keep', class: 'error', rule: null },
    ]);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'rules:\n  - name: x\n    match: {}\n    action: sample\n    rate: 7\n');
    const refused = await cairn(['route', '--rules', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bad\.yaml:5: rules\.0\.rate/);
  });
});
