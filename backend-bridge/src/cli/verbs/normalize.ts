import { normalizeLine } from '../../domain/normalize/index.js';
import { LineWriter, readLines } from '../io.js';
import { CliUsageError, type CliVerb } from '../types.js';

const usage = `usage: cairn normalize [--service NAME] [--topic TOPIC]

Reads raw log lines (JSON, logfmt, syslog, access logs, plain text) on stdin and writes one normalized
JSON record per input line, in order, to stdout. --service stands in for the Kafka key (the service a
line came from when the line does not say); --topic for the Kafka topic. A summary goes to stderr.`;

export const normalizeVerb: CliVerb = {
  name: 'normalize',
  summary: 'normalize raw log lines (stdin) into Cairn records (stdout, JSON lines)',
  usage,
  async run(argv, io) {
    let key: string | undefined;
    let topic: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === '--service') key = argv[++i];
      else if (arg === '--topic') topic = argv[++i];
      else throw new CliUsageError(`unknown argument: ${arg}`);
      if (argv[i] === undefined) throw new CliUsageError(`${arg} needs a value`);
    }
    const out = new LineWriter(io.stdout);
    let count = 0;
    const repairs = new Map<string, number>();
    for await (const line of readLines(io.stdin)) {
      const record = normalizeLine(line, { key, topic, receivedAtMs: Date.now() });
      for (const r of record.cairn.repaired) repairs.set(r, (repairs.get(r) ?? 0) + 1);
      await out.write(JSON.stringify(record));
      count++;
    }
    await out.flush();
    const summary = [...repairs].map(([r, n]) => `${r}=${n}`).join(' ');
    io.stderr.write(`normalized ${count} lines${summary ? `; repaired: ${summary}` : ''}\n`);
    return 0;
  },
};
