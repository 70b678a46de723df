import { readFileSync } from 'node:fs';
import { builtinDetectors, TextFeatures } from '../backend-bridge/src/domain/masking/detectors.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const f = new TextFeatures();
const out: any[] = [];
for (const d of builtinDetectors) {
  if (!d.defaultEnabled) continue;
  const lines: string[] = [];
  for (const l of mix) { f.reset(l);
    if (d.minDigitRun !== undefined && f.digitRun < d.minDigitRun) continue; if (d.minDashRun !== undefined && f.dashRun < d.minDashRun) continue; if (d.minCardRun !== undefined && f.cardRun < d.minCardRun) continue;
    if (d.minTokenRun !== undefined && f.tokenRun < d.minTokenRun) continue;
    if (d.needles && !d.needles.some(n=>l.includes(n))) continue;
    if (d.test && !d.test.test(l)) continue;
    if (d.lowerNeedles && !d.lowerNeedles.some(n=>l.toLowerCase().includes(n))) continue;
    lines.push(l); }
  let best = 1e9;
  for (let r=0;r<5;r++){ const t = performance.now(); for (const l of lines) { out.length=0; d.find(l,out,f.reset(l)); } best=Math.min(best, performance.now()-t); }
  let bestF = 1e9; for (let r=0;r<5;r++){ const t = performance.now(); for (const l of lines) f.reset(l); bestF=Math.min(bestF, performance.now()-t); }
  console.log(d.name.padEnd(22), 'pass', String(lines.length).padEnd(6), 'µs per mix line', ((best-bestF)*1000/mix.length).toFixed(3));
}
