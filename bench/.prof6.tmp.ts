import { readFileSync } from 'node:fs';
import { compilePolicy, defaultMaskingPolicy, maskLogRecord } from '../backend-bridge/src/domain/masking/index.js';
import { normalizeLine } from '../backend-bridge/src/domain/normalize/index.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const c = compilePolicy(defaultMaskingPolicy);
const recs = mix.map(l => normalizeLine(l, {key:'x'}));
for (let r = 0; r < 40; r++) for (const x of recs) maskLogRecord(x as any, c);
