#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist by `npm run build` (run by `npm ci` through prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('cairn: the bridge is not built yet; run `npm run build` at the repository root\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
process.exit(await main(process.argv.slice(2)));
