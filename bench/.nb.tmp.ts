import { readFileSync } from 'node:fs';
import { TextFeatures } from '../backend-bridge/src/domain/masking/detectors.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const t16b = /(?:^|[^A-Za-z0-9+/_%-])[A-Za-z0-9+/_%-]{16}/;
const t8b = /(?:^|[^A-Za-z0-9+/_%-])[A-Za-z0-9+/_%-]{8}/;
const d8 = /\d(?:[ ().+%-]{0,2}\d){7}/;
const f = new TextFeatures();
let sink = 0;
const tests: [string, (l: string) => unknown][] = [
  ['features loop', l => { sink += f.reset(l).tokenRun; }],
  ['re t16 boundary', l => t16b.test(l)], ['re t8 boundary', l => t8b.test(l)], ['re d8', l => d8.test(l)],
  ['indexOf @', l => l.indexOf('@')],
];
for (const [, fn] of tests) for (const l of mix) fn(l);
const best = new Map<string, number>();
for (let r = 0; r < 9; r++) for (const [name, fn] of tests) { const t = performance.now(); for (const l of mix) fn(l); const d = performance.now() - t; best.set(name, Math.min(best.get(name) ?? 1e9, d)); }
for (const [k, v] of best) console.log(k.padEnd(16), (v * 1000 / mix.length).toFixed(3), 'µs/line');
