import { readFileSync } from 'node:fs';
import { normalizeLine } from '../../domain/normalize/index.js';
import { routeRecord } from '../../domain/routing/index.js';
import { parseRoutingText, ConfigFileError } from '../../config/files.js';
import { LineWriter, readLines } from '../io.js';
import { CliUsageError, type CliVerb } from '../types.js';

const usage = `usage: cairn route --rules FILE [--dry-run] [--service NAME]

Validates a routing rules file (YAML or JSON: drop, sample and route rules by service, level, environment
and message pattern). With lines on stdin (--dry-run), writes per line the decision
{"action","class","rule"} and a per-rule summary to stderr. Exits 1 if the file is invalid, naming the line.`;

export const routeVerb: CliVerb = {
  name: 'route',
  summary: 'validate routing rules and try them on lines (stdin) without indexing',
  usage,
  async run(argv, io) {
    let file: string | undefined;
    let key: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === '--rules') file = argv[++i];
      else if (arg === '--service') key = argv[++i];
      else if (arg === '--dry-run') continue;
      else throw new CliUsageError(`unknown argument: ${arg}`);
      if (argv[i] === undefined) throw new CliUsageError(`${arg} needs a value`);
    }
    if (!file) throw new CliUsageError('--rules FILE is required');
    let routing;
    try {
      routing = parseRoutingText(readFileSync(file, 'utf8'), file);
    } catch (error) {
      if (error instanceof ConfigFileError) {
        io.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const out = new LineWriter(io.stdout);
    const counts = new Map<string, number>();
    let n = 0;
    for await (const line of readLines(io.stdin)) {
      const record = normalizeLine(line, { key, receivedAtMs: Date.now() });
      const decision = routeRecord(routing, record, `stdin:0:${n++}`);
      const label = decision.action === 'drop' ? `${decision.reason}:${decision.rule}` : `keep:${decision.retentionClass}`;
      counts.set(label, (counts.get(label) ?? 0) + 1);
      await out.write(
        JSON.stringify(
          decision.action === 'drop'
            ? { action: decision.reason === 'sampled_out' ? 'sample_out' : 'drop', rule: decision.rule }
            : { action: 'keep', class: decision.retentionClass, rule: decision.rule ?? null }
        )
      );
    }
    await out.flush();
    io.stderr.write(`${file}: valid, ${routing.rules.length} rules; ${[...counts].map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
    return 0;
  },
};
