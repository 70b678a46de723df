import { readFileSync } from 'node:fs';
import { normalizeLine } from '../backend-bridge/src/domain/normalize/index.js';
for (const s of ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier']) {
  const l = readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n')[5] ?? '';
  console.log(JSON.stringify(normalizeLine(l, {key:'x'})));
}
