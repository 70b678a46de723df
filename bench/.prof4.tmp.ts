import { readFileSync } from 'node:fs';
import { compilePolicy, defaultMaskingPolicy, maskLogRecord, maskText } from '../backend-bridge/src/domain/masking/index.js';
import { normalizeLine } from '../backend-bridge/src/domain/normalize/index.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const corpus = readFileSync('bench/corpus/masking/corpus.jsonl','utf8').split('\n').filter(Boolean).map(l=>JSON.parse(l).line);
const c = compilePolicy(defaultMaskingPolicy);
const recs = mix.map(l => normalizeLine(l, {key:'x'}));
const crecs = corpus.map(l => normalizeLine(l, {key:'x'}));
const tests: [string, () => void][] = [
  ...(process.argv[2] ? [] : []),
  ['maskText loghub', () => { for (const l of mix) maskText(l, c); }],
  ['maskText corpus', () => { for (const l of corpus) maskText(l, c); }],
  ['maskLogRecord loghub', () => { for (const r of recs) maskLogRecord(r as any, c); }],
  ['maskLogRecord corpus', () => { for (const r of crecs) maskLogRecord(r as any, c); }],
  ['normalize loghub', () => { for (const l of mix) normalizeLine(l, {key:'x'}); }],
];
const best = new Map<string, number>();
for (let r = 0; r < (process.argv[2] ? 30 : 7); r++) for (const [name, fn] of tests) { const t = performance.now(); fn(); const d = performance.now() - t; best.set(name, Math.min(best.get(name) ?? 1e9, d)); }
for (const [k, v] of best) console.log(k.padEnd(24), (v * 1000 / (k.includes('corpus') ? corpus.length : mix.length)).toFixed(3), 'µs/line');
