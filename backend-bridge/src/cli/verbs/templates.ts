import { readFile, rename, writeFile } from 'node:fs/promises';
import { TemplateMiner, type TemplateMinerState } from '../../domain/templates/index.js';
import { LineWriter, readLines } from '../io.js';
import type { CliIo, CliVerb } from '../types.js';

const USAGE = `Usage: cairn templates [--state FILE]

Reads one log message per line on stdin and writes one JSON object per line to stdout, in order:
  {"templateId":"…","template":"…","params":[…],"isNew":true|false}

Options:
  --state FILE  load miner state from FILE when it exists, and save it there at the end
  -h, --help    show this help`;

function parseArgs(argv: string[]): { statePath: string | undefined } | string {
  let statePath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--state') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return '--state needs a file path';
      statePath = value;
      i++;
    } else if (arg.startsWith('--state=')) {
      statePath = arg.slice('--state='.length);
      if (statePath === '') return '--state needs a file path';
    } else return `unknown argument: ${arg}`;
  }
  return { statePath };
}

async function loadState(path: string): Promise<TemplateMinerState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as TemplateMinerState;
}

export const templatesVerb: CliVerb = {
  name: 'templates',
  summary: 'mine log templates: one JSON object with templateId, template and params per input line',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout.write(USAGE + '\n');
      return 0;
    }
    const args = parseArgs(argv);
    if (typeof args === 'string') {
      io.stderr.write(`cairn templates: ${args}\n${USAGE}\n`);
      return 2;
    }
    const miner = new TemplateMiner();
    if (args.statePath !== undefined) {
      try {
        const state = await loadState(args.statePath);
        if (state !== undefined) miner.importState(state);
      } catch (error) {
        io.stderr.write(`cairn templates: cannot load state from ${args.statePath}: ${(error as Error).message}\n`);
        return 1;
      }
    }
    const out = new LineWriter(io.stdout);
    for await (const line of readLines(io.stdin)) {
      const m = miner.add(line);
      await out.write(
        JSON.stringify({ templateId: m.templateId, template: m.template, params: m.params, isNew: m.isNew })
      );
    }
    await out.flush();
    if (args.statePath !== undefined) {
      // Write then rename so an interrupted save never leaves a truncated state file.
      const tmp = `${args.statePath}.tmp-${process.pid}`;
      try {
        await writeFile(tmp, JSON.stringify(miner.exportState()));
        await rename(tmp, args.statePath);
      } catch (error) {
        io.stderr.write(`cairn templates: cannot save state to ${args.statePath}: ${(error as Error).message}\n`);
        return 1;
      }
    }
    return 0;
  },
};
