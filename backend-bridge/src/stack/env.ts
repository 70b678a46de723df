import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ES_VERSION, parsePort } from './config.js';

export const DEFAULT_ES_PORT = 9200;
export const DEFAULT_KAFKA_PORT = 9092;
export const DEFAULT_KAFKA_CONTROLLER_PORT = 9093;

/** Repository root: the nearest ancestor whose package.json declares workspaces (works from src and dist). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown };
        if (parsed.workspaces !== undefined) return dir;
      } catch {
        // An unreadable package.json is not the root; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Every path the stack uses; all live under one cache dir so `rm -rf` of it is a full reset. */
export interface StackPaths {
  home: string;
  stateFile: string;
  lockFile: string;
  logsDir: string;
  esHome: string;
  esData: string;
  esLogs: string;
  esRepo: string;
  kafkaDir: string;
  kafkaLibs: string;
  kafkaData: string;
  kafkaConfig: string;
  kafkaLog4j: string;
  kafkaLogs: string;
}

/** `$CAIRN_HOME/stack`, default `<repo>/.cairn/stack`. */
export function stackPaths(env: NodeJS.ProcessEnv = process.env): StackPaths {
  const base = env['CAIRN_HOME'] ? resolve(env['CAIRN_HOME']) : join(repoRoot(), '.cairn');
  const home = join(base, 'stack');
  const kafkaDir = join(home, 'kafka');
  return {
    home,
    stateFile: join(home, 'state.json'),
    lockFile: join(home, 'stack.lock'),
    logsDir: join(home, 'logs'),
    esHome: join(home, `elasticsearch-${ES_VERSION}`),
    esData: join(home, 'es', 'data'),
    esLogs: join(home, 'es', 'logs'),
    esRepo: join(home, 'es', 'snapshots'),
    kafkaDir,
    kafkaLibs: join(kafkaDir, 'libs'),
    kafkaData: join(kafkaDir, 'data'),
    kafkaConfig: join(kafkaDir, 'server.properties'),
    kafkaLog4j: join(kafkaDir, 'log4j.properties'),
    kafkaLogs: join(kafkaDir, 'logs'),
  };
}

export interface StackPorts {
  es: number;
  kafka: number;
  kafkaController: number;
}

export function stackPorts(env: NodeJS.ProcessEnv = process.env): StackPorts {
  return {
    es: parsePort(env['CAIRN_ES_PORT'], DEFAULT_ES_PORT, 'CAIRN_ES_PORT'),
    kafka: parsePort(env['CAIRN_KAFKA_PORT'], DEFAULT_KAFKA_PORT, 'CAIRN_KAFKA_PORT'),
    kafkaController: parsePort(
      env['CAIRN_KAFKA_CONTROLLER_PORT'],
      DEFAULT_KAFKA_CONTROLLER_PORT,
      'CAIRN_KAFKA_CONTROLLER_PORT'
    ),
  };
}

/** Elasticsearch URL: `CAIRN_ES_URL` if set (external cluster), else the local node on `CAIRN_ES_PORT`. */
export function esUrl(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['CAIRN_ES_URL'];
  if (explicit) return explicit.replace(/\/+$/, '');
  return `http://127.0.0.1:${stackPorts(env).es}`;
}

/** Kafka bootstrap brokers: `CAIRN_KAFKA_BROKERS` (comma-separated) if set, else the local broker on `CAIRN_KAFKA_PORT`. */
export function kafkaBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = env['CAIRN_KAFKA_BROKERS'];
  if (explicit) {
    return explicit
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  return [`127.0.0.1:${stackPorts(env).kafka}`];
}

/** CAIRN_JAVA_HOME, then JAVA_HOME, then the Debian JDK 17 path, else whatever `java` is on PATH. */
export function javaBin(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env['CAIRN_JAVA_HOME'], env['JAVA_HOME'], '/usr/lib/jvm/java-17-openjdk-amd64'];
  for (const home of candidates) {
    if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  }
  return 'java';
}

export function javaHome(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bin = javaBin(env);
  return bin === 'java' ? undefined : dirname(dirname(bin));
}
