import { CliUsageError, type CliIo, type CliVerb } from './types.js';
import { normalizeVerb } from './verbs/normalize.js';
import { routeVerb } from './verbs/route.js';
import { bridgeVerb } from './verbs/bridge.js';
import { demoVerb } from './verbs/demo.js';
import { stackVerb } from './verbs/stack.js';
import { templatesVerb } from './verbs/templates.js';
import { anomalyVerb } from './verbs/anomaly.js';
import { traceVerb } from './verbs/trace.js';
import { maskVerb } from './verbs/mask.js';
import { baselinesVerb } from './verbs/baselines.js';

/** Every `cairn <verb>`; each reads stdin and writes stdout as its issue specifies. */
const VERBS: CliVerb[] = [stackVerb, demoVerb, bridgeVerb, normalizeVerb, maskVerb, routeVerb, templatesVerb, anomalyVerb, baselinesVerb, traceVerb];

function help(): string {
  const width = Math.max(...VERBS.map((v) => v.name.length));
  return `usage: cairn <verb> [options]   (cairn <verb> --help for details)\n\n${VERBS.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`).join('\n')}\n`;
}

export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (!verb) {
    io.stderr.write(`cairn: unknown verb "${name}"\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${verb.usage}\n`);
    return 0;
  }
  try {
    return await verb.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`cairn ${name}: ${error.message}\n${verb.usage}\n`);
      return 2;
    }
    io.stderr.write(`cairn ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
