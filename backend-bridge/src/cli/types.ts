import type { Readable, Writable } from 'node:stream';

/** Streams a verb reads and writes; tests pass their own. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** One `cairn <verb>`: registered in cli/main.ts. Returns the process exit code. */
export interface CliVerb {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad arguments or input: main prints the message and exits 2. */
export class CliUsageError extends Error {}
