import { readFileSync } from 'node:fs';
import { compilePolicy, defaultMaskingPolicy, maskText, builtinRuleNames } from '../backend-bridge/src/domain/masking/index.js';
import { TextFeatures } from '../backend-bridge/src/domain/masking/detectors.js';
const sys = ['HDFS','Apache','OpenSSH','Zookeeper','Spark','Linux','HealthApp','Proxifier'];
const mix: string[] = [];
for (const s of sys) mix.push(...readFileSync(`../shared/data/loghub/${s}/${s}_2k.log`,'utf8').split('\n').filter(Boolean));
const none = compilePolicy({ version: 1, default: { rules: Object.fromEntries(builtinRuleNames.map(n => [n, { enabled: false }])) } });
const def = compilePolicy(defaultMaskingPolicy);
const f = new TextFeatures();
const only = (name: string) => compilePolicy({ version: 1, default: { rules: Object.fromEntries(builtinRuleNames.map(n => [n, { enabled: n === name }])) } });
const tests: [string, () => void][] = [
  ['features only', () => { for (const l of mix) f.reset(l); }],
  ['maskText no rules', () => { for (const l of mix) maskText(l, none); }],
  ['maskText default', () => { for (const l of mix) maskText(l, def); }],
  ...['sensitive_key_value','card','high_entropy','vendor_api_key','email','ssn_us','rrn_kr','phone_kr','iban','session_id','url_credentials','jwt','aws_access_key_id','phone_e164','cookie','auth_header'].map(n => { const c = only(n); return [n, () => { for (const l of mix) maskText(l, c); }] as [string, () => void]; }),
];
const best = new Map<string, number>();
for (let r = 0; r < 12; r++) for (const [name, fn] of tests) { const t = performance.now(); fn(); const d = performance.now() - t; best.set(name, Math.min(best.get(name) ?? 1e9, d)); }
const base = best.get('maskText no rules') ?? 0;
for (const [k, v] of best) console.log(k.padEnd(22), (v * 1000 / mix.length).toFixed(3), 'µs/line', k.startsWith('mask') || k.startsWith('feat') ? '' : `(+${((v - base) * 1000 / mix.length).toFixed(3)})`);
