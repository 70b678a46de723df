import { readFileSync } from 'node:fs';
import { builtinDetectors, TextFeatures } from '../backend-bridge/src/domain/masking/detectors.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const f = new TextFeatures();
for (const d of builtinDetectors) {
  if (!d.defaultEnabled) continue;
  let pass = 0;
  for (const l of mix) { f.reset(l);
    if (d.minDigitRun !== undefined && f.digitRun < d.minDigitRun) continue;
    if (d.minTokenRun !== undefined && f.tokenRun < d.minTokenRun) continue;
    if (d.marks !== undefined && (f.marks & d.marks) === 0) continue;
    if (d.needles && !d.needles.some(n=>l.includes(n))) continue;
    if (d.test && !d.test.test(l)) continue;
    if (d.lowerNeedles && !d.lowerNeedles.some(n=>l.toLowerCase().includes(n))) continue;
    pass++; }
  console.log(d.name.padEnd(22), pass);
}
