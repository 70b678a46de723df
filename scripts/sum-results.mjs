#!/usr/bin/env node
// Sums the JSON reports of every suite (vitest and jest share the numTotalTests/numFailedTests shape) and
// the plain checks recorded by test-all.sh, and prints the one closing line CI reads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const file of readdirSync(dir).sort()) {
  const path = join(dir, file);
  if (file.endsWith('.json')) {
    const r = JSON.parse(readFileSync(path, 'utf8'));
    const p = r.numPassedTests ?? 0;
    const f = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
    const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    passed += p;
    failed += f;
    skipped += s;
    rows.push(`${file.replace(/\.json$/, '').padEnd(28)} ${String(p).padStart(5)} passed ${String(f).padStart(4)} failed`);
  } else if (file.endsWith('.check')) {
    const ok = readFileSync(path, 'utf8').trim() === 'ok';
    if (ok) passed++;
    else failed++;
    rows.push(`${file.replace(/\.check$/, '').padEnd(28)} ${ok ? '    1 passed    0 failed' : '    0 passed    1 failed'}`);
  }
}
console.log('\nsuite                        results');
for (const r of rows) console.log(r);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
