import { PassThrough } from 'node:stream';
import type { CliIo } from './types.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI entry point on a string as stdin and collects its output: the tests' way to call a verb. */
export async function runCli(run: (io: CliIo) => Promise<number>, input: string): Promise<CliRun> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(input);
  const code = await run({ stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}
