/**
 * Issue 3 (a): normalization alone, lines/s on one core, for JSON, logfmt and plain-text mixes.
 * Goal: at least 150,000 lines/s per core. Baseline printed beside it in the same run: JSON.parse alone
 * over the same JSON lines (the floor any JSON normalizer pays).
 */
import { generateLines, type LineFormat } from '../backend-bridge/src/demo/estate.js';
import { normalizeLine } from '../backend-bridge/src/domain/normalize/index.js';
import { Report } from './lib.js';

const report = new Report('normalize');
const N = 200_000;
const all = generateLines(N * 2, 11, Date.UTC(2026, 10, 23, 8));

function linesOf(formats: LineFormat[] | 'mixed'): string[] {
  const picked = formats === 'mixed' ? all : all.filter((l) => formats.includes(l.format));
  return picked.slice(0, N).map((l) => l.line);
}

/** Best of several runs, single-threaded: lines per second on one core. */
function measure(lines: string[], fn: (line: string) => unknown): number {
  let best = 0;
  let sink = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = process.hrtime.bigint();
    for (const line of lines) sink += (fn(line) ? 1 : 0);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, lines.length / seconds);
  }
  if (sink < 0) console.log(sink);
  return Math.round(best);
}

const ctx = { topic: 'cairn.logs', partition: 0, offset: '0', key: 'bench', receivedAtMs: Date.UTC(2026, 10, 23, 9) };
const normalize = (line: string) => normalizeLine(line, ctx);
const rows: Array<Array<string | number>> = [];
const sets: Array<[string, LineFormat[] | 'mixed']> = [
  ['json', ['json']],
  ['logfmt', ['logfmt']],
  ['plain (ISO LEVEL msg)', ['plain']],
  ['access log', ['access']],
  ['syslog', ['syslog']],
  ['mixed (demo estate)', 'mixed'],
];
for (const [name, formats] of sets) {
  const lines = linesOf(formats);
  const rate = measure(lines, normalize);
  rows.push([name, lines.length, rate, rate >= 150_000 ? 'yes' : 'NO']);
}
const jsonLines = linesOf(['json']);
const parseOnly = measure(jsonLines, (l) => JSON.parse(l));
report.line(`normalizeLine, one core, best of 5 runs over ${N.toLocaleString('en-US')} lines each`);
report.table(['input', 'lines', 'lines/s per core', '≥150k goal'], rows);
report.line();
report.line(`baseline, same run: JSON.parse alone over the JSON lines: ${parseOnly.toLocaleString('en-US')} lines/s`);
report.line(`normalize(json) costs ${(rows[0]?.[2] ? parseOnly / Number(rows[0][2]) : 0).toFixed(2)}× JSON.parse alone`);
report.save();
