import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ES_VERSION, KAFKA_VERSION } from './config.js';
import { ES_MARKER, probeEsHealth, spawnElasticsearch, waitForEs, type Log } from './elasticsearch.js';
import { esUrl, kafkaBrokers, stackPaths, stackPorts, type StackPaths } from './env.js';
import { KAFKA_MARKER, probeKafka, spawnKafka, waitForKafka } from './kafka.js';
import { isAlive, portInUse, portOwner, terminate } from './proc.js';
import { parseState, pruneState, serializeState, type StackState } from './state.js';

export type StackService = 'elasticsearch' | 'kafka';

export interface StartStackOptions {
  /** Stop whatever runs and wipe the data dirs (indices, topics, snapshots) before starting. */
  reset?: boolean;
  /** Which services to start; default both. */
  services?: StackService[];
  /** Elasticsearch heap, e.g. "1g"; default env CAIRN_ES_HEAP or 1g. */
  esHeap?: string;
  /** Kafka heap; default env CAIRN_KAFKA_HEAP or 512m. */
  kafkaHeap?: string;
  /** Health wait per service; default 180 s (a cold first run also unzips and resolves jars before this starts). */
  timeoutMs?: number;
  /** Progress sink; default stderr. */
  log?: Log;
  env?: NodeJS.ProcessEnv;
}

export interface ServiceStatus {
  running: boolean;
  pid?: number;
  port: number;
  /** True when this call started it, false when it was already running. */
  started?: boolean;
  logFile?: string;
}

export interface StackStatus {
  home: string;
  elasticsearch: ServiceStatus & { url: string; version: string; healthy?: boolean };
  kafka: ServiceStatus & { brokers: string[]; version: string; controllerPort?: number; healthy?: boolean };
}

const defaultLog: Log = (msg) => process.stderr.write(`cairn stack: ${msg}\n`);

function aliveFor(kind: StackService): (pid: number) => boolean {
  return (pid) => isAlive(pid, kind === 'elasticsearch' ? ES_MARKER : KAFKA_MARKER);
}

function readState(paths: StackPaths): StackState {
  const text = existsSync(paths.stateFile) ? readFileSync(paths.stateFile, 'utf8') : undefined;
  return pruneState(parseState(text), (pid, kind) => aliveFor(kind)(pid));
}

function writeState(paths: StackPaths, state: StackState): void {
  mkdirSync(paths.home, { recursive: true });
  writeFileSync(paths.stateFile, serializeState(state));
}

/** Cross-process lock so a test run and a CLI call cannot start two nodes at once; stale locks are taken over. */
async function withLock<T>(paths: StackPaths, log: Log, fn: () => Promise<T>): Promise<T> {
  mkdirSync(paths.home, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(paths.lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(paths.lockFile, 'utf8').trim());
      if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
        rmSync(paths.lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`stack lock ${paths.lockFile} held by pid ${holder} for too long`);
      if (!announced) log(`waiting for another cairn stack operation (pid ${holder})…`);
      announced = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(paths.lockFile, { force: true });
  }
}

async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  if (!(await portInUse(port))) return;
  const owner = await portOwner(port);
  throw new Error(
    `port ${port} (${what}) is already in use${owner ? ` by ${owner}` : ''} but not by this stack's recorded process; ` +
      `stop that process or set ${envVar} to another port`
  );
}

function resolveOptions(opts: StartStackOptions) {
  const env = opts.env ?? process.env;
  return {
    env,
    paths: stackPaths(env),
    ports: stackPorts(env),
    log: opts.log ?? defaultLog,
    esHeap: opts.esHeap ?? env['CAIRN_ES_HEAP'] ?? '1g',
    kafkaHeap: opts.kafkaHeap ?? env['CAIRN_KAFKA_HEAP'] ?? '512m',
    timeoutMs: opts.timeoutMs ?? 180_000,
    services: opts.services ?? (['elasticsearch', 'kafka'] as StackService[]),
  };
}

type Resolved = ReturnType<typeof resolveOptions>;

/** Starts ES (if not running), waits for yellow/green; returns whether this call started it. */
async function startEs(r: Resolved, state: StackState): Promise<boolean> {
  const running = state.elasticsearch;
  const url = `http://127.0.0.1:${running?.port ?? r.ports.es}`;
  if (running) {
    await waitForEs(url, running.pid, running.logFile, esServerLog(r), r.timeoutMs);
    return false;
  }
  await assertPortFree(r.ports.es, 'Elasticsearch HTTP', 'CAIRN_ES_PORT');
  const t0 = Date.now();
  const { pid, logFile } = await spawnElasticsearch({ paths: r.paths, port: r.ports.es, heap: r.esHeap, log: r.log });
  state.elasticsearch = { pid, port: r.ports.es, startedAt: new Date().toISOString(), logFile };
  writeState(r.paths, state);
  r.log('waiting for Elasticsearch health (yellow/green)…');
  try {
    await waitForEs(url, pid, logFile, esServerLog(r), r.timeoutMs);
  } catch (err) {
    await terminate(pid, 10_000);
    delete state.elasticsearch;
    writeState(r.paths, state);
    throw err;
  }
  r.log(`Elasticsearch ready at ${url} in ${secondsSince(t0)} s`);
  return true;
}

async function startKafkaService(r: Resolved, state: StackState): Promise<boolean> {
  const running = state.kafka;
  const brokers = [`127.0.0.1:${running?.port ?? r.ports.kafka}`];
  if (running) {
    await waitForKafka(brokers, running.pid, r.paths, r.timeoutMs);
    return false;
  }
  await assertPortFree(r.ports.kafka, 'Kafka broker', 'CAIRN_KAFKA_PORT');
  await assertPortFree(r.ports.kafkaController, 'Kafka controller', 'CAIRN_KAFKA_CONTROLLER_PORT');
  const t0 = Date.now();
  const { pid, logFile, clusterId } = await spawnKafka({
    paths: r.paths,
    port: r.ports.kafka,
    controllerPort: r.ports.kafkaController,
    heap: r.kafkaHeap,
    log: r.log,
  });
  state.kafka = {
    pid,
    port: r.ports.kafka,
    controllerPort: r.ports.kafkaController,
    clusterId,
    startedAt: new Date().toISOString(),
    logFile,
  };
  writeState(r.paths, state);
  r.log('waiting for Kafka health (admin lists topics)…');
  try {
    await waitForKafka(brokers, pid, r.paths, r.timeoutMs);
  } catch (err) {
    await terminate(pid, 10_000);
    delete state.kafka;
    writeState(r.paths, state);
    throw err;
  }
  r.log(`Kafka ready at ${brokers.join(',')} in ${secondsSince(t0)} s`);
  return true;
}

/** ES names its main log after cluster.name (see renderEsYml). */
function esServerLog(r: Resolved): string {
  return join(r.paths.esLogs, 'cairn-dev.log');
}

function secondsSince(t0: number): string {
  return ((Date.now() - t0) / 1000).toFixed(1);
}

async function stopService(r: Resolved, state: StackState, kind: StackService): Promise<void> {
  const entry = state[kind];
  if (!entry) return;
  r.log(`stopping ${kind} (pid ${entry.pid})…`);
  // ES flushes and closes shards on SIGTERM; Kafka does a controlled shutdown. Both fit well inside 60 s.
  const how = await terminate(entry.pid, 60_000);
  r.log(`${kind} ${how === 'killed' ? 'did not stop in time and was killed' : 'stopped'}`);
  delete state[kind];
  writeState(r.paths, state);
}

function wipeData(r: Resolved, services: StackService[]): void {
  if (services.includes('elasticsearch')) {
    r.log('wiping Elasticsearch data and snapshots…');
    rmSync(r.paths.esData, { recursive: true, force: true });
    rmSync(r.paths.esRepo, { recursive: true, force: true });
  }
  if (services.includes('kafka')) {
    r.log('wiping Kafka data…');
    rmSync(r.paths.kafkaData, { recursive: true, force: true });
  }
}

/** Starts Elasticsearch and Kafka (in parallel) and waits for both; a no-op for what already runs. */
export async function startStack(opts: StartStackOptions = {}): Promise<StackStatus> {
  const r = resolveOptions(opts);
  return withLock(r.paths, r.log, async () => {
    const state = readState(r.paths);
    writeState(r.paths, state);
    if (opts.reset) {
      for (const kind of r.services) await stopService(r, state, kind);
      wipeData(r, r.services);
    }
    const t0 = Date.now();
    // allSettled: one failure must not release the lock while the other service is still starting.
    const [esResult, kafkaResult] = await Promise.allSettled([
      r.services.includes('elasticsearch') ? startEs(r, state) : Promise.resolve(undefined),
      r.services.includes('kafka') ? startKafkaService(r, state) : Promise.resolve(undefined),
    ]);
    if (esResult.status === 'rejected') throw esResult.reason;
    if (kafkaResult.status === 'rejected') throw kafkaResult.reason;
    const esStarted = esResult.value;
    const kafkaStarted = kafkaResult.value;
    if (esStarted !== true && kafkaStarted !== true) r.log('already running');
    else r.log(`stack ready in ${secondsSince(t0)} s`);
    return statusFrom(r, state, { elasticsearch: esStarted, kafka: kafkaStarted });
  });
}

/** Stops both services (SIGTERM, then SIGKILL after 60 s); a no-op when nothing runs. */
export async function stopStack(opts: Pick<StartStackOptions, 'log' | 'env' | 'services'> = {}): Promise<StackStatus> {
  const r = resolveOptions(opts);
  return withLock(r.paths, r.log, async () => {
    const state = readState(r.paths);
    if (!state.elasticsearch && !state.kafka) r.log('not running');
    await Promise.all(r.services.map((kind) => stopService(r, state, kind)));
    writeState(r.paths, state);
    return statusFrom(r, state, {});
  });
}

/** What runs now, from the state file checked against live PIDs (and, with `probe`, live health checks). */
export async function stackStatus(opts: { env?: NodeJS.ProcessEnv; probe?: boolean } = {}): Promise<StackStatus> {
  const r = resolveOptions({ env: opts.env, log: () => undefined });
  const state = readState(r.paths);
  const status = statusFrom(r, state, {});
  if (opts.probe ?? true) {
    if (state.elasticsearch)
      status.elasticsearch.healthy = (await probeEsHealth(status.elasticsearch.url)) !== undefined;
    if (state.kafka) status.kafka.healthy = await probeKafka(status.kafka.brokers);
  }
  return status;
}

function statusFrom(
  r: Resolved,
  state: StackState,
  started: Partial<Record<StackService, boolean | undefined>>
): StackStatus {
  const es = state.elasticsearch;
  const kafka = state.kafka;
  const esPort = es?.port ?? r.ports.es;
  const kafkaPort = kafka?.port ?? r.ports.kafka;
  return {
    home: r.paths.home,
    elasticsearch: {
      running: es !== undefined,
      pid: es?.pid,
      port: esPort,
      url: es ? `http://127.0.0.1:${esPort}` : esUrl(r.env),
      version: ES_VERSION,
      started: started.elasticsearch,
      logFile: es?.logFile,
    },
    kafka: {
      running: kafka !== undefined,
      pid: kafka?.pid,
      port: kafkaPort,
      controllerPort: kafka?.controllerPort,
      brokers: kafka ? [`127.0.0.1:${kafkaPort}`] : kafkaBrokers(r.env),
      version: KAFKA_VERSION,
      started: started.kafka,
      logFile: kafka?.logFile,
    },
  };
}

/** Fault injection: stop only Elasticsearch (its data stays). */
export async function stopElasticsearch(opts: Pick<StartStackOptions, 'log' | 'env'> = {}): Promise<StackStatus> {
  return stopStack({ ...opts, services: ['elasticsearch'] });
}

/** Fault injection: start only Elasticsearch again on the same data dir. */
export async function startElasticsearch(opts: Omit<StartStackOptions, 'services'> = {}): Promise<StackStatus> {
  return startStack({ ...opts, services: ['elasticsearch'] });
}

/** Fault injection: stop only Kafka (its data stays). */
export async function stopKafka(opts: Pick<StartStackOptions, 'log' | 'env'> = {}): Promise<StackStatus> {
  return stopStack({ ...opts, services: ['kafka'] });
}

/** Fault injection: start only Kafka again on the same data dir. */
export async function startKafka(opts: Omit<StartStackOptions, 'services'> = {}): Promise<StackStatus> {
  return startStack({ ...opts, services: ['kafka'] });
}

/** Fault injection: stop and start the broker; topics, offsets and committed group offsets persist. */
export async function restartKafka(opts: Omit<StartStackOptions, 'services' | 'reset'> = {}): Promise<StackStatus> {
  await stopKafka(opts);
  return startKafka(opts);
}
