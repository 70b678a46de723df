import { startStack } from '../stack/index.js';

/** Integration tests run against the real local stack: start it once (idempotent) before any file runs. */
export default async function setup(): Promise<void> {
  await startStack({ log: (m) => process.stderr.write(`[stack] ${m}\n`) });
}
