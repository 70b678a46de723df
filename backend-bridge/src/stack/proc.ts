import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing output; never throws on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs).unref();
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Runs a command and throws with its output when it fails. */
export async function runOk(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}
): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const out = (r.stderr + r.stdout).trim().split('\n').slice(-20).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}):\n${out}`);
  }
  return r.stdout;
}

export interface DetachedSpawn {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  uid?: number;
  gid?: number;
}

/** Starts a process in its own process group with output appended to a log file, so it outlives this CLI. */
export function spawnDetached(s: DetachedSpawn): number {
  const fd = openSync(s.logFile, 'a');
  try {
    const child = spawn(s.cmd, s.args, {
      cwd: s.cwd,
      env: s.env,
      detached: true,
      stdio: ['ignore', fd, fd],
      uid: s.uid,
      gid: s.gid,
    });
    if (child.pid === undefined) throw new Error(`failed to start ${s.cmd}`);
    child.on('error', () => undefined);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** True when the PID exists, is not a zombie and (when /proc is there) its command line contains `marker`. */
export function isAlive(pid: number, marker?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM means it exists but belongs to someone else: still alive.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const procDir = `/proc/${pid}`;
  if (!existsSync('/proc/self')) return true;
  try {
    const stat = readFileSync(`${procDir}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    if (marker === undefined) return true;
    return readFileSync(`${procDir}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** Any live PID in the process group (the ES launcher spawns the real server JVM as a child). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM to the whole process group, wait up to `timeoutMs`, then SIGKILL. Returns how it ended. */
export async function terminate(pgid: number, timeoutMs: number): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!groupAlive(pgid)) return 'not-running';
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // The leader may exit before its children, so wait for the whole group to empty.
    if (!groupAlive(pgid)) return 'terminated';
    await sleep(200);
  }
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
  return 'killed';
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portInUse(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (inUse: boolean): void => {
      socket.destroy();
      resolvePromise(inUse);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Best-effort "who listens on this port" for error messages (ss output, or empty). */
export async function portOwner(port: number): Promise<string> {
  try {
    const r = await run('ss', ['-ltnpH', `sport = :${port}`], { timeoutMs: 3000 });
    const m = /users:\(\((.*?)\)\)/.exec(r.stdout);
    return m?.[1] ?? '';
  } catch {
    return '';
  }
}
