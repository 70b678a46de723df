import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ES_ARTIFACT, ES_VERSION, mmapAllowed, renderEsJvmOptions, renderEsYml } from './config.js';
import { javaHome, type StackPaths } from './env.js';
import { isAlive, run, runOk, spawnDetached } from './proc.js';

export const ES_USER = 'cairn-es';
/** Matched against /proc/<pid>/cmdline so a recycled PID is not mistaken for our node. */
export const ES_MARKER = 'elasticsearch';

export type Log = (msg: string) => void;

function m2Repo(): string {
  return process.env['CAIRN_M2_REPO'] ?? join(homedir(), '.m2', 'repository');
}

/** Path of the distribution zip in the local Maven repository, fetched with `mvn dependency:get` when missing. */
export async function resolveEsZip(log: Log): Promise<string> {
  const zip = join(
    m2Repo(),
    'org/elasticsearch/distribution/integ-test-zip/elasticsearch',
    ES_VERSION,
    `elasticsearch-${ES_VERSION}.zip`
  );
  if (existsSync(zip)) return zip;
  log(`resolving ${ES_ARTIFACT} with mvn (first run on this machine)…`);
  await runOk('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${ES_ARTIFACT}`, '-Dtransitive=false'], {
    timeoutMs: 15 * 60_000,
  });
  if (!existsSync(zip)) throw new Error(`mvn reported success but ${zip} is missing`);
  return zip;
}

/** Unzips the distribution once into the cache; a marker file makes a half-finished unzip retry cleanly. */
export async function ensureEsInstalled(paths: StackPaths, log: Log): Promise<void> {
  const marker = join(paths.esHome, '.cairn-installed');
  if (existsSync(marker)) return;
  const zip = await resolveEsZip(log);
  const tmp = join(paths.home, '.unzip-es');
  rmSync(tmp, { recursive: true, force: true });
  rmSync(paths.esHome, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`unzipping Elasticsearch ${ES_VERSION}…`);
  const unzip = await run('unzip', ['-q', zip, '-d', tmp]).catch(() => undefined);
  if (unzip === undefined || unzip.code !== 0) {
    // No unzip binary: the JDK's jar tool extracts too, but drops the executable bits.
    const home = javaHome();
    await runOk(home ? join(home, 'bin', 'jar') : 'jar', ['xf', zip], { cwd: tmp });
    await runOk('chmod', ['-R', 'a+x', join(tmp, `elasticsearch-${ES_VERSION}`, 'bin')]);
  }
  renameSync(join(tmp, `elasticsearch-${ES_VERSION}`), paths.esHome);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(marker, `${ES_ARTIFACT}\n`);
}

export interface EsUser {
  uid: number;
  gid: number;
}

/** Elasticsearch refuses to run as root: as root, run it as a dedicated system user (created once). */
export async function ensureEsUser(log: Log): Promise<EsUser | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  let ids = await lookupUser(ES_USER);
  if (!ids) {
    log(`creating system user ${ES_USER} (Elasticsearch refuses to run as root)…`);
    const r = await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ES_USER]);
    // Exit 9 = already exists (a concurrent start won the race): fine.
    if (r.code !== 0 && r.code !== 9) throw new Error(`useradd ${ES_USER} failed: ${r.stderr.trim()}`);
    ids = await lookupUser(ES_USER);
    if (!ids) throw new Error(`user ${ES_USER} still missing after useradd`);
  }
  return ids;
}

async function lookupUser(name: string): Promise<EsUser | undefined> {
  const uid = await run('id', ['-u', name]);
  const gid = await run('id', ['-g', name]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Every ancestor of `dir` must be searchable by the ES user, or it cannot reach its own files. */
function makeTraversable(dir: string, log: Log): void {
  let d = dirname(dir);
  for (;;) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      log(`chmod o+x ${d} so ${ES_USER} can reach the cache dir`);
      chmodSync(d, mode | 0o001);
    }
    const parent = dirname(d);
    if (parent === d) return;
    d = parent;
  }
}

export interface EsStartInput {
  paths: StackPaths;
  port: number;
  heap: string;
  log: Log;
}

/** Writes config, fixes ownership and spawns the node detached. Returns the launcher PID (its process group). */
export async function spawnElasticsearch(input: EsStartInput): Promise<{ pid: number; logFile: string }> {
  const { paths, port, heap, log } = input;
  await ensureEsInstalled(paths, log);
  for (const d of [paths.esData, paths.esLogs, paths.esRepo, paths.logsDir]) mkdirSync(d, { recursive: true });
  const allowMmap = mmapAllowed(readOptional('/proc/sys/vm/max_map_count'));
  if (!allowMmap) log('vm.max_map_count is below 262144: running with node.store.allow_mmap=false');
  writeFileSync(
    join(paths.esHome, 'config', 'elasticsearch.yml'),
    renderEsYml({ port, dataDir: paths.esData, logsDir: paths.esLogs, repoDir: paths.esRepo, allowMmap })
  );
  mkdirSync(join(paths.esHome, 'config', 'jvm.options.d'), { recursive: true });
  writeFileSync(join(paths.esHome, 'config', 'jvm.options.d', 'cairn.options'), renderEsJvmOptions(heap));
  const user = await ensureEsUser(log);
  if (user) {
    makeTraversable(paths.esHome, log);
    await runOk('chown', ['-R', `${user.uid}:${user.gid}`, paths.esHome, dirname(paths.esData)]);
  }
  const logFile = join(paths.logsDir, 'elasticsearch.out');
  const home = javaHome();
  const env: NodeJS.ProcessEnv = { ...process.env, ES_JAVA_HOME: home, ES_HOME: paths.esHome };
  delete env['JAVA_HOME'];
  delete env['ES_JAVA_OPTS'];
  if (user) {
    env['HOME'] = paths.esHome;
    env['USER'] = ES_USER;
    env['LOGNAME'] = ES_USER;
  }
  if (!home) delete env['ES_JAVA_HOME'];
  log(`starting Elasticsearch ${ES_VERSION} on 127.0.0.1:${port} (heap ${heap}${user ? `, user ${ES_USER}` : ''})…`);
  const pid = spawnDetached({
    cmd: join(paths.esHome, 'bin', 'elasticsearch'),
    // -q: no console copy of the server log (it is in path.logs, rotated); fatal startup errors still reach the .out file.
    args: ['-q'],
    env,
    cwd: paths.esHome,
    logFile,
    uid: user?.uid,
    gid: user?.gid,
  });
  return { pid, logFile };
}

export interface EsHealth {
  status: string;
  cluster_name: string;
  number_of_nodes: number;
}

/** One health probe: the cluster health when the node answers yellow or green, else undefined. */
export async function probeEsHealth(url: string, signal?: AbortSignal): Promise<EsHealth | undefined> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, {
      signal: signal ?? AbortSignal.timeout(5000),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as EsHealth;
    return body.status === 'yellow' || body.status === 'green' ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Polls until yellow/green; fails fast with the log's tail when the process dies. */
export async function waitForEs(
  url: string,
  pid: number,
  logFile: string,
  serverLog: string,
  timeoutMs: number
): Promise<EsHealth> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await probeEsHealth(url);
    if (health) return health;
    if (!isAlive(pid, ES_MARKER)) {
      throw new Error(
        `Elasticsearch exited during startup; last lines of ${logFile}:\n${tail(logFile, 20)}\n` +
          `and of ${serverLog}:\n${tail(serverLog, 10)}`
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `Elasticsearch not healthy after ${Math.round(timeoutMs / 1000)} s; see ${serverLog}:\n${tail(serverLog, 15)}`
  );
}

export function tail(file: string, lines: number): string {
  const text = readOptional(file) ?? '';
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
