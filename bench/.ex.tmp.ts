import { readFileSync } from 'node:fs';
import { TextFeatures, CARD_SHAPE, PHONE_SHAPE, RRN_SHAPE } from '../backend-bridge/src/domain/masking/detectors.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const f = new TextFeatures();
for (const s of sys) { const lines = readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean);
  const c = lines.filter(l => f.reset(l).marks & CARD_SHAPE); const p = lines.filter(l => (f.reset(l).marks & PHONE_SHAPE) && /(?<![\w.+-])\(?0[1-7]/.test(l)); const r = lines.filter(l => f.reset(l).marks & RRN_SHAPE);
  console.log(s, c.length, p.length, r.length, '|', (c[0]??'').slice(0,100), '|', (p[0]??'').slice(0,100)); }
