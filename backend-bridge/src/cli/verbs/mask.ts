import { readFile } from 'node:fs/promises';
import {
  compilePolicy,
  defaultMaskingPolicy,
  maskRecord,
  maskText,
  parseMaskingPolicy,
  type CompiledMaskingScope,
  type MaskHits,
} from '../../domain/masking/index.js';
import { readLines, LineWriter } from '../io.js';
import type { CliIo, CliVerb } from '../types.js';

const usage = `Usage: cairn mask [--policy FILE] [--service NAME] [--env NAME] [--quiet]

Reads log lines on stdin and writes exactly one masked line per input line, in order, to stdout.
A JSON object line stays valid JSON with its sensitive values masked; any other line is masked in place.
A summary of how often each rule fired goes to stderr (rule names and counts, never values).

Options:
  --policy FILE    masking policy (YAML or JSON); default: the built-in default policy
  --service NAME   apply the policy's overrides for this service
  --env NAME       apply the policy's overrides for this environment
  --quiet          no summary on stderr
  -h, --help       show this help`;

interface MaskArgs {
  policy?: string;
  service?: string;
  environment?: string;
  quiet: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): MaskArgs | string {
  const args: MaskArgs = { quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--quiet':
        args.quiet = true;
        break;
      case '--policy':
      case '--service':
      case '--env': {
        const v = value();
        if (v === undefined || v === '') return `${flag} needs a value`;
        if (flag === '--policy') args.policy = v;
        else if (flag === '--service') args.service = v;
        else args.environment = v;
        break;
      }
      default:
        return `unknown argument: ${arg}`;
    }
  }
  return args;
}

function write(stream: CliIo['stderr'], text: string): void {
  stream.write(text.endsWith('\n') ? text : text + '\n');
}

/** Masks one line: JSON objects field by field (so they stay JSON), anything else as text. */
function maskLine(line: string, scope: CompiledMaskingScope, total: MaskHits): string {
  let result: { text: string; hits: MaskHits };
  const first = line.charCodeAt(0) === 123 ? 123 : line.trimStart().charCodeAt(0);
  if (first === 123) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const masked = maskRecord(parsed, scope);
      result = { text: masked.record === parsed ? line : JSON.stringify(masked.record), hits: masked.hits };
    } else result = maskText(line, scope);
  } else result = maskText(line, scope);
  for (const rule in result.hits) total[rule] = (total[rule] ?? 0) + (result.hits[rule] ?? 0);
  return result.text;
}

export const maskVerb: CliVerb = {
  name: 'mask',
  summary: 'mask sensitive values in log lines (stdin → stdout) under a masking policy',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === 'string') {
      write(io.stderr, `cairn mask: ${args}\n\n${usage}`);
      return 2;
    }
    if (args.help) {
      write(io.stdout, usage);
      return 0;
    }
    let policy = defaultMaskingPolicy;
    if (args.policy !== undefined) {
      let text: string;
      try {
        text = await readFile(args.policy, 'utf8');
      } catch (e) {
        write(io.stderr, `cairn mask: cannot read policy ${args.policy}: ${(e as Error).message}`);
        return 2;
      }
      const parsed = parseMaskingPolicy(text);
      if (!parsed.ok) {
        const lines = parsed.errors.map(
          (e) => `  ${args.policy}:${e.line}: ${e.path === '' ? '' : e.path + ': '}${e.message}`
        );
        write(io.stderr, `cairn mask: invalid policy\n${lines.join('\n')}`);
        return 2;
      }
      policy = parsed.policy;
    }
    const scope = compilePolicy(policy).scope(args.service, args.environment);
    const out = new LineWriter(io.stdout);
    const total: MaskHits = {};
    let lines = 0;
    let changed = 0;
    for await (const line of readLines(io.stdin)) {
      const masked = maskLine(line, scope, total);
      if (masked !== line) changed++;
      lines++;
      await out.write(masked);
    }
    await out.flush();
    if (!args.quiet) {
      const rules = Object.entries(total).sort((a, b) => b[1] - a[1]);
      const summary = [`cairn mask: ${lines} lines, ${changed} changed`];
      for (const [rule, count] of rules) summary.push(`  ${rule.padEnd(22)} ${count}`);
      write(io.stderr, summary.join('\n'));
    }
    return 0;
  },
};
