import { readFileSync } from 'node:fs';
import { compilePolicy, defaultMaskingPolicy, maskText, builtinRuleNames } from '../backend-bridge/src/domain/masking/index.js';
import { TextFeatures } from '../backend-bridge/src/domain/masking/detectors.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const without = (names: string[]) => compilePolicy({ version: 1, default: { rules: { ipv4: { enabled: false }, ipv6: { enabled: false }, ...Object.fromEntries(names.map(n => [n, { enabled: false }])) } } });
const f = new TextFeatures();
const groups: [string, string[]][] = [
  ['default', []],
  ['-digits', ['card', 'rrn_kr', 'ssn_us', 'phone_kr', 'phone_e164', 'iban']],
  ['-keywords', ['sensitive_key_value', 'session_id', 'cookie', 'auth_header', 'aws_secret_key']],
  ['-tokens', ['high_entropy', 'vendor_api_key', 'aws_access_key_id', 'jwt']],
  ['-marks', ['email', 'url_credentials', 'pem_private_key']],
  ['none', builtinRuleNames.slice()],
];
const tests: [string, () => void][] = [['features', () => { for (const l of mix) f.reset(l); }], ...groups.map(([n, g]) => { const c = without(g); return [n, () => { for (const l of mix) maskText(l, c); }] as [string, () => void]; })];
const best = new Map<string, number>();
for (let r = 0; r < 15; r++) for (const [name, fn] of tests) { const t = performance.now(); fn(); best.set(name, Math.min(best.get(name) ?? 1e9, performance.now() - t)); }
for (const [k, v] of best) console.log(k.padEnd(12), (v * 1000 / mix.length).toFixed(3));
