import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  KAFKA_ARTIFACT,
  KAFKA_VERSION,
  newKafkaClusterId,
  probeGroupsCoveringPartitions,
  renderKafkaLog4j,
  renderKafkaPom,
  renderKafkaProperties,
} from './config.js';
import { javaBin, type StackPaths } from './env.js';
import { tail, type Log } from './elasticsearch.js';
import { isAlive, runOk, spawnDetached } from './proc.js';

/** Matched against /proc/<pid>/cmdline so a recycled PID is not mistaken for our broker. */
export const KAFKA_MARKER = 'kafka.Kafka';

/** Copies kafka_2.13 and all its runtime jars into the cache once, via a throwaway pom. */
export async function ensureKafkaLibs(paths: StackPaths, log: Log): Promise<void> {
  const marker = join(paths.kafkaLibs, '.cairn-complete');
  if (existsSync(marker)) return;
  mkdirSync(paths.kafkaDir, { recursive: true });
  rmSync(paths.kafkaLibs, { recursive: true, force: true });
  const pom = join(paths.kafkaDir, 'pom.xml');
  writeFileSync(pom, renderKafkaPom());
  log(`resolving ${KAFKA_ARTIFACT} and its runtime dependencies with mvn…`);
  await runOk(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${paths.kafkaLibs}`,
      '-DincludeScope=runtime',
    ],
    { timeoutMs: 15 * 60_000 }
  );
  const jars = readdirSync(paths.kafkaLibs).filter((f) => f.endsWith('.jar'));
  if (!jars.some((j) => j.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new Error(`mvn copied ${jars.length} jars but not kafka_2.13-${KAFKA_VERSION}.jar`);
  }
  writeFileSync(marker, `${jars.length} jars\n`);
}

function classpath(paths: StackPaths): string {
  return join(paths.kafkaLibs, '*');
}

/** Formats the KRaft storage dir once; an existing meta.properties keeps its cluster ID (data persists). */
export async function ensureKafkaFormatted(paths: StackPaths, log: Log): Promise<string> {
  const meta = join(paths.kafkaData, 'meta.properties');
  const existing = readClusterId(meta);
  if (existing) return existing;
  const clusterId = newKafkaClusterId();
  log(`formatting Kafka storage (cluster ${clusterId})…`);
  await runOk(
    javaBin(),
    [
      '-Xmx256m',
      `-Dlog4j.configuration=file:${paths.kafkaLog4j}`,
      '-cp',
      classpath(paths),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      paths.kafkaConfig,
      '--ignore-formatted',
    ],
    { timeoutMs: 120_000 }
  );
  return readClusterId(meta) ?? clusterId;
}

function readClusterId(metaFile: string): string | undefined {
  if (!existsSync(metaFile)) return undefined;
  const m = /^cluster\.id=(.+)$/m.exec(readFileSync(metaFile, 'utf8'));
  return m?.[1]?.trim();
}

export interface KafkaStartInput {
  paths: StackPaths;
  port: number;
  controllerPort: number;
  heap: string;
  log: Log;
}

/** Writes config, formats storage if needed and spawns the broker detached. */
export async function spawnKafka(input: KafkaStartInput): Promise<{ pid: number; logFile: string; clusterId: string }> {
  const { paths, port, controllerPort, heap, log } = input;
  await ensureKafkaLibs(paths, log);
  for (const d of [paths.kafkaData, paths.kafkaLogs, paths.logsDir]) mkdirSync(d, { recursive: true });
  writeFileSync(paths.kafkaConfig, renderKafkaProperties({ port, controllerPort, logDir: paths.kafkaData }));
  writeFileSync(paths.kafkaLog4j, renderKafkaLog4j(join(paths.kafkaLogs, 'server.log')));
  const clusterId = await ensureKafkaFormatted(paths, log);
  const logFile = join(paths.logsDir, 'kafka.out');
  log(`starting Kafka ${KAFKA_VERSION} (KRaft) on 127.0.0.1:${port}, controller ${controllerPort}…`);
  const pid = spawnDetached({
    cmd: javaBin(),
    args: [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${paths.kafkaLog4j}`,
      `-Dkafka.logs.dir=${paths.kafkaLogs}`,
      '-cp',
      classpath(paths),
      'kafka.Kafka',
      paths.kafkaConfig,
    ],
    env: process.env,
    cwd: paths.kafkaDir,
    logFile,
  });
  return { pid, logFile, clusterId };
}

/** One health probe: a kafkajs admin connects and lists topics. */
export async function probeKafka(brokers: string[]): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'cairn-stack-health',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    // After a restart the group coordinator reloads __consumer_offsets partition by partition; until then
    // consumers and offset fetches get NOT_COORDINATOR, so "ready" waits for every partition's coordinator.
    if (topics.includes('__consumer_offsets')) {
      const [meta] = (await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics;
      const groups = probeGroupsCoveringPartitions(meta?.partitions.length ?? 50);
      // kafkajs throws on any per-group error code, which the catch below turns into "not ready".
      await admin.describeGroups(groups);
    }
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Polls until the broker answers; fails fast with the log's tail when the process dies. */
export async function waitForKafka(
  brokers: string[],
  pid: number,
  paths: StackPaths,
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const serverLog = join(paths.kafkaLogs, 'server.log');
  while (Date.now() < deadline) {
    if (await probeKafka(brokers)) return;
    if (!isAlive(pid, KAFKA_MARKER)) {
      throw new Error(
        `Kafka exited during startup; last log lines (${serverLog}):\n${tail(serverLog, 20)}\n${tail(join(paths.logsDir, 'kafka.out'), 10)}`
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `Kafka not healthy after ${Math.round(timeoutMs / 1000)} s; see ${serverLog}:\n${tail(serverLog, 15)}`
  );
}
