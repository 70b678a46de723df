import { CliUsageError, type CliIo, type CliVerb } from '../types.js';
import {
  ES_VERSION,
  KAFKA_VERSION,
  startStack,
  stackStatus,
  stopStack,
  type StackService,
  type StackStatus,
  type StartStackOptions,
} from '../../stack/index.js';

const usage = `Usage: cairn stack <start|stop|status> [options]

Runs a real Elasticsearch ${ES_VERSION} node and Kafka ${KAFKA_VERSION} broker (KRaft) on 127.0.0.1 as
detached local processes, cached under $CAIRN_HOME/stack (default <repo>/.cairn/stack).

  start    resolve, start and wait for health; no-op for what already runs. Prints status JSON.
  stop     SIGTERM, then SIGKILL after 60 s; no-op when nothing runs.
  status   print JSON: pids, ports, URL, brokers, live health.

Options:
  --reset             (start) stop and wipe all data (indices, topics, snapshots) first
  --only <es|kafka>   act on one service only
  --es-heap <size>    Elasticsearch heap, e.g. 1g (env CAIRN_ES_HEAP)
  --kafka-heap <size> Kafka heap, e.g. 512m (env CAIRN_KAFKA_HEAP)
  -h, --help          this help

Environment: CAIRN_ES_PORT (9200), CAIRN_KAFKA_PORT (9092), CAIRN_KAFKA_CONTROLLER_PORT (9093),
CAIRN_HOME, CAIRN_JAVA_HOME / JAVA_HOME.`;

interface StackArgs {
  action: 'start' | 'stop' | 'status';
  reset: boolean;
  services?: StackService[];
  esHeap?: string;
  kafkaHeap?: string;
}

/** Parses `stack` arguments; undefined means --help. */
export function parseStackArgs(argv: string[]): StackArgs | undefined {
  let action: StackArgs['action'] | undefined;
  let reset = false;
  let services: StackService[] | undefined;
  let esHeap: string | undefined;
  let kafkaHeap: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`stack: ${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h':
      case '--help':
        return undefined;
      case '--reset':
        reset = true;
        break;
      case '--only': {
        const v = value();
        if (v === 'es' || v === 'elasticsearch') services = ['elasticsearch'];
        else if (v === 'kafka') services = ['kafka'];
        else throw new CliUsageError(`stack: --only takes es or kafka, not "${v}"`);
        break;
      }
      case '--es-heap':
        esHeap = heap(value());
        break;
      case '--kafka-heap':
        kafkaHeap = heap(value());
        break;
      case 'start':
      case 'stop':
      case 'status':
        if (action) throw new CliUsageError(`stack: one action only (got ${action} and ${arg})`);
        action = arg;
        break;
      default:
        throw new CliUsageError(`stack: unknown argument "${String(arg)}" (see cairn stack --help)`);
    }
  }
  if (!action) throw new CliUsageError(`stack: missing action: start, stop or status (see cairn stack --help)`);
  if (reset && action !== 'start') throw new CliUsageError('stack: --reset only goes with start');
  return { action, reset, services, esHeap, kafkaHeap };
}

function heap(v: string): string {
  if (!/^[1-9][0-9]*[mg]$/i.test(v)) throw new CliUsageError(`stack: heap "${v}" must look like 512m or 1g`);
  return v;
}

async function runStack(argv: string[], io: CliIo): Promise<number> {
  const args = parseStackArgs(argv);
  if (!args) {
    io.stdout.write(usage + '\n');
    return 0;
  }
  const log = (msg: string): void => void io.stderr.write(`cairn stack: ${msg}\n`);
  try {
    let status: StackStatus;
    if (args.action === 'start') {
      const opts: StartStackOptions = { reset: args.reset, services: args.services, log };
      if (args.esHeap) opts.esHeap = args.esHeap;
      if (args.kafkaHeap) opts.kafkaHeap = args.kafkaHeap;
      status = await startStack(opts);
    } else if (args.action === 'stop') {
      status = await stopStack({ services: args.services, log });
    } else {
      status = await stackStatus();
    }
    io.stdout.write(JSON.stringify(status, null, 2) + '\n');
    return 0;
  } catch (err) {
    io.stderr.write(`cairn stack: error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export const stackVerb: CliVerb = {
  name: 'stack',
  summary: 'start, stop or inspect the local Elasticsearch + Kafka stack',
  usage,
  run: runStack,
};
