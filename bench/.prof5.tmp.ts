import { readFileSync } from 'node:fs';
import { compilePolicy, defaultMaskingPolicy, maskText } from '../backend-bridge/src/domain/masking/index.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const c = compilePolicy(defaultMaskingPolicy);
for (let r = 0; r < 40; r++) for (const l of mix) maskText(l, c);
