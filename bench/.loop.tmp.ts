import { readFileSync } from 'node:fs';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const flat = mix.map(l => (' ' + l).slice(1));
const cls = new Uint8Array(65536); for (let c = 48; c <= 57; c++) cls[c] = 1; for (let c = 65; c <= 90; c++) cls[c] = 2; for (let c = 97; c <= 122; c++) cls[c] = 4;
let sink = 0;
function minimal(t: string) { let run = 0, max = 0; for (let i = 0; i < t.length; i++) { const k = cls[t.charCodeAt(i)] as number; if (k !== 0) { if (++run > max) max = run; } else run = 0; } return max; }
function empty(t: string) { let h = 0; for (let i = 0; i < t.length; i++) h += t.charCodeAt(i); return h; }
const tests: [string, () => void][] = [
  ['empty loop', () => { for (const l of mix) sink += empty(l); }],
  ['minimal run', () => { for (const l of mix) sink += minimal(l); }],
  ['regex /@/', () => { for (const l of mix) sink += /@/.test(l) ? 1 : 0; }],
];
const best = new Map<string, number>();
for (let r = 0; r < 15; r++) for (const [name, fn] of tests) { const t = performance.now(); fn(); const d = performance.now() - t; best.set(name, Math.min(best.get(name) ?? 1e9, d)); }
for (const [k, v] of best) console.log(k.padEnd(22), (v * 1000 / mix.length).toFixed(3), 'µs/line');
