// Issue 4 benchmark: masking precision/recall per category on the labelled corpus, beside detect-secrets; false
// alarms on Loghub; cost per line and normalize+mask vs normalize-only throughput. `npx tsx bench/masking.ts`
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compilePolicy,
  defaultMaskingPolicy,
  detectSpans,
  maskLogRecord,
  maskText,
  type MaskableLogRecord,
  type MaskingPolicy,
} from '../backend-bridge/src/domain/masking/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = resolve(repoRoot, '../shared/data');
const out: string[] = [];
const say = (s = ''): void => {
  out.push(s);
  console.log(s);
};

interface Label {
  category: string;
  value: string;
}
interface Row {
  line: string;
  labels: Label[];
}
interface Found {
  category: string;
  start: number;
  end: number;
}

const corpus: Row[] = readFileSync(join(repoRoot, 'bench/corpus/masking/corpus.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as Row);

say(`# Masking benchmark (issue 4)  ${new Date().toISOString()}`);
say(
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}  (2 cores, shared)`
);
say(`corpus: ${corpus.length} lines, ${corpus.reduce((n, r) => n + r.labels.length, 0)} labelled values`);
say();

// ------------------------------------------------------------------ scoring
interface Tally {
  labels: number;
  recalled: number;
  /** Labels at least partly covered: a lenient recall, for scanners that report part of a secret. */
  touched: number;
  detections: number;
  correct: number;
}
const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const fmt = (x: number | undefined): string => (x === undefined ? '   -  ' : x.toFixed(4));

/** A label is recalled when a detection covers every character of it; a detection is correct when it overlaps a label. */
function score(findings: Found[][]): { tallies: Map<string, Tally>; misses: string[]; falseAlarms: string[] } {
  const tallies = new Map<string, Tally>();
  const t = (c: string): Tally => {
    let x = tallies.get(c);
    if (x === undefined) tallies.set(c, (x = { labels: 0, recalled: 0, touched: 0, detections: 0, correct: 0 }));
    return x;
  };
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  corpus.forEach((row, i) => {
    const found = findings[i] ?? [];
    const labelRanges: [number, number][] = [];
    for (const label of row.labels) {
      let at = row.line.indexOf(label.value);
      const tally = t(label.category);
      tally.labels++;
      let covered = at !== -1;
      let touched = false;
      while (at !== -1) {
        const end = at + label.value.length;
        labelRanges.push([at, end]);
        const s0 = at;
        if (found.some((f) => f.start < end && s0 < f.end)) touched = true;
        let pos = at;
        // Walk across adjacent detections until the label is covered or a gap appears.
        for (let moved = true; moved && pos < end;) {
          moved = false;
          for (const f of found) {
            if (f.start <= pos && f.end > pos) {
              pos = f.end;
              moved = true;
            }
          }
        }
        if (pos < end) covered = false;
        at = row.line.indexOf(label.value, end);
      }
      if (covered) tally.recalled++;
      if (touched) tally.touched++;
      else misses.push(`${label.category}: ${label.value.slice(0, 60)}  <<  ${row.line.slice(0, 160)}`);
    }
    for (const f of found) {
      const tally = t(f.category);
      tally.detections++;
      if (labelRanges.some(([s, e]) => f.start < e && s < f.end)) tally.correct++;
      else
        falseAlarms.push(
          `${f.category}: "${row.line.slice(f.start, f.end).slice(0, 60)}"  <<  ${row.line.slice(0, 160)}`
        );
    }
  });
  return { tallies, misses, falseAlarms };
}

// ------------------------------------------------------------------ Cairn on the corpus
const evalPolicy: MaskingPolicy = {
  ...defaultMaskingPolicy,
  default: { ...defaultMaskingPolicy.default, rules: { ipv4: { enabled: true }, ipv6: { enabled: true } } },
};
const evalCompiled = compilePolicy(evalPolicy);
const cairnFindings = corpus.map((r) => detectSpans(r.line, evalCompiled));
const cairn = score(cairnFindings);

// ------------------------------------------------------------------ detect-secrets on the same corpus
const dsTypeToCategory: Record<string, string> = {
  'AWS Access Key': 'api_key',
  'GitHub Token': 'api_key',
  'Slack Token': 'api_key',
  'Slack Webhook': 'api_key',
  'Stripe Access Key': 'api_key',
  'Basic Auth Credentials': 'url_credential',
  'JSON Web Token': 'jwt',
  'Private Key': 'private_key',
  'Secret Keyword': 'secret_value',
  'Base64 High Entropy String': 'high_entropy',
  'Hex High Entropy String': 'high_entropy',
};
let ds: ReturnType<typeof score> | undefined;
let dsNote = '';
let dsSeconds = 0;
try {
  const venv = join(homedir(), '.cache/cairn/venv');
  const py = join(venv, 'bin/python');
  if (!existsSync(join(venv, 'bin/detect-secrets'))) {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'ignore' });
    execFileSync(join(venv, 'bin/pip'), ['install', '-q', 'detect-secrets==1.5.0'], { stdio: 'ignore' });
  }
  const version = execFileSync(join(venv, 'bin/detect-secrets'), ['--version'], { encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), 'cairn-masking-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'corpus.log');
  writeFileSync(file, corpus.map((r) => r.line).join('\n') + '\n');
  const t0 = performance.now();
  const raw = execFileSync(py, [join(repoRoot, 'bench/peers/detect_secrets_run.py'), file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  dsSeconds = (performance.now() - t0) / 1000;
  const findings: Found[][] = corpus.map(() => []);
  for (const l of raw.split('\n')) {
    if (l.length === 0) continue;
    const f = JSON.parse(l) as { line: number; type: string; value: string | null };
    const row = corpus[f.line - 1];
    const list = findings[f.line - 1];
    if (row === undefined || list === undefined || f.value === null) continue;
    const at = row.line.indexOf(f.value);
    const category = dsTypeToCategory[f.type] ?? f.type;
    if (at !== -1) list.push({ category, start: at, end: at + f.value.length });
  }
  ds = score(findings);
  dsNote = `detect-secrets ${version} (PyPI, default plugins and filters, scan of the corpus as one file; ${dsSeconds.toFixed(1)} s incl. start-up)`;
} catch (e) {
  dsNote = `detect-secrets unavailable: ${(e as Error).message.split('\n')[0]}`;
}

say('## Precision / recall per category (goal: precision >= 0.99, recall >= 0.98)');
say('Cairn: default policy with ipv4/ipv6 switched on (they are off by default). A label counts as recalled when a');
say('detection covers all of it (a partial finding leaves the rest of the secret in the log); "part R" counts labels');
say('at least partly covered. A detection is correct when it overlaps a labelled value; recall is by label category.');
say(dsNote);
say();
say(
  `${pad('category', 16)}${pad('labels', 8)}| ${pad('cairn P', 8)}${pad('cairn R', 8)}${pad('det', 6)}| ${pad('d-s P', 8)}${pad('d-s R', 8)}${pad('part R', 8)}${pad('det', 6)}`
);
const categories = [...new Set([...cairn.tallies.keys(), ...(ds?.tallies.keys() ?? [])])].sort();
let allLabels = 0;
let allRecalled = 0;
let allDet = 0;
let allCorrect = 0;
for (const c of categories) {
  const a = cairn.tallies.get(c);
  const b = ds?.tallies.get(c);
  const p = (x: Tally | undefined): number | undefined =>
    x && x.detections > 0 ? x.correct / x.detections : undefined;
  const r = (x: Tally | undefined): number | undefined => (x && x.labels > 0 ? x.recalled / x.labels : undefined);
  const part = (x: Tally | undefined): number | undefined => (x && x.labels > 0 ? x.touched / x.labels : undefined);
  // detect-secrets claims a category only when it has a plugin for it (one of its findings maps there).
  const dsCovers = b !== undefined && b.detections > 0;
  allLabels += a?.labels ?? 0;
  allRecalled += a?.recalled ?? 0;
  allDet += a?.detections ?? 0;
  allCorrect += a?.correct ?? 0;
  say(
    `${pad(c, 16)}${pad(a?.labels ?? b?.labels ?? 0, 8)}| ${pad(fmt(p(a)), 8)}${pad(fmt(r(a)), 8)}${pad(a?.detections ?? 0, 6)}| ${pad(dsCovers ? fmt(p(b)) : '   -  ', 8)}${pad(dsCovers ? fmt(r(b)) : '   -  ', 8)}${pad(dsCovers ? fmt(part(b)) : '   -  ', 8)}${pad(b?.detections ?? 0, 6)}`
  );
}
say(
  `${pad('ALL', 16)}${pad(allLabels, 8)}| ${pad(fmt(allCorrect / Math.max(1, allDet)), 8)}${pad(fmt(allRecalled / Math.max(1, allLabels)), 8)}${pad(allDet, 6)}|`
);
if (ds !== undefined) {
  let dsLabelsCovered = 0;
  for (const row of corpus) dsLabelsCovered += row.labels.length;
  const dsRecalledAll = [...ds.tallies.values()].reduce((n, x) => n + x.recalled, 0);
  const dsDet = [...ds.tallies.values()].reduce((n, x) => n + x.detections, 0);
  const dsCorrect = [...ds.tallies.values()].reduce((n, x) => n + x.correct, 0);
  say(
    `detect-secrets overall: P ${fmt(dsCorrect / Math.max(1, dsDet))}  R ${fmt(dsRecalledAll / Math.max(1, dsLabelsCovered))} (over all labels)`
  );
}
say();
say(`Cairn misses (${cairn.misses.length}, first 15):`);
for (const m of cairn.misses.slice(0, 15)) say('  ' + m);
say(`Cairn false alarms (${cairn.falseAlarms.length}, first 15):`);
for (const m of cairn.falseAlarms.slice(0, 15)) say('  ' + m);
say();

// ------------------------------------------------------------------ Loghub false alarms
say('## Loghub: share of lines changed under the default policy (goal <= 0.5% outside what is sensitive)');
const defaultCompiled = compilePolicy(defaultMaskingPolicy);
const systems = ['HDFS', 'Apache', 'OpenSSH', 'Zookeeper', 'Spark', 'Linux', 'HealthApp', 'Proxifier'];
const loghubLines: string[] = [];
let totalChanged = 0;
let totalLines = 0;
for (const system of systems) {
  const file = join(dataRoot, 'loghub', system, `${system}_2k.log`);
  if (!existsSync(file)) {
    say(`${pad(system, 11)} missing ${file}`);
    continue;
  }
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  loghubLines.push(...lines);
  let changed = 0;
  const rules: Record<string, number> = {};
  const examples: string[] = [];
  for (const line of lines) {
    const spans = detectSpans(line, defaultCompiled);
    if (spans.length === 0) continue;
    changed++;
    for (const s of spans) {
      rules[s.rule] = (rules[s.rule] ?? 0) + 1;
      const v = `${s.rule}: ${line.slice(s.start, s.end).slice(0, 50)}`;
      if (examples.length < 4 && !examples.includes(v)) examples.push(v);
    }
  }
  totalChanged += changed;
  totalLines += lines.length;
  say(
    `${pad(system, 11)}${pad(lines.length, 6)} lines  changed ${pad(changed, 4)} (${((100 * changed) / lines.length).toFixed(2)}%)  ${Object.entries(
      rules
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`
  );
  for (const e of examples) say(`             e.g. ${e}`);
}
say(
  `${pad('ALL', 11)}${pad(totalLines, 6)} lines  changed ${totalChanged} (${((100 * totalChanged) / Math.max(1, totalLines)).toFixed(2)}%)`
);
say();

// ------------------------------------------------------------------ cost
say('## Cost (single thread; best of interleaved rounds, so that load from other processes hits every path alike)');
const corpusLines = corpus.map((r) => r.line);
const mixes: [string, string[]][] = [
  ['Loghub 16k (typical lines)', loghubLines],
  ['corpus 4k (secret-dense)', corpusLines],
];
type Path = [string, (line: string) => unknown];
function bestOf(paths: Path[], lines: string[], rounds: number): number[] {
  const best = paths.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    paths.forEach(([, fn], i) => {
      const t0 = performance.now();
      for (const line of lines) fn(line);
      best[i] = Math.min(best[i] ?? Infinity, performance.now() - t0);
    });
  }
  return best.map((ms) => (ms * 1000) / lines.length);
}
const paths: Path[] = [['maskText (default policy)', (l) => maskText(l, defaultCompiled)]];
const normalizeModule = join(repoRoot, 'backend-bridge/src/domain/normalize/index.ts');
let normalizeNote = '';
if (existsSync(normalizeModule)) {
  try {
    const mod = (await import(normalizeModule)) as { normalizeLine?: (raw: string, ctx?: object) => MaskableLogRecord };
    const normalizeLine = mod.normalizeLine;
    if (typeof normalizeLine === 'function') {
      const ctx = { key: 'bench', nowMs: Date.now() };
      paths.push(['normalizeLine only', (l) => normalizeLine(l, ctx)]);
      paths.push(['normalizeLine + maskLogRecord', (l) => maskLogRecord(normalizeLine(l, ctx), defaultCompiled)]);
    } else normalizeNote = 'normalize/index.ts exports no normalizeLine';
  } catch (e) {
    normalizeNote = `normalizeLine not usable: ${(e as Error).message.split('\n')[0]}`;
  }
} else normalizeNote = 'normalize/index.ts not found';
for (const [label, lines] of mixes) {
  const mean = Math.round(lines.reduce((n, l) => n + l.length, 0) / Math.max(1, lines.length));
  const us = bestOf(paths, lines, lines.length > 10_000 ? 25 : 40);
  say(`${label}, mean ${mean} chars/line:`);
  paths.forEach(([name], i) => {
    const perLine = us[i] ?? 0;
    say(
      `  ${pad(name, 34)}${pad(Math.round(1e6 / perLine).toLocaleString('en-US'), 12)} lines/s  ${perLine.toFixed(2)} µs/line`
    );
  });
  if (us.length === 3) {
    const [, normalizeOnly = 0, both = 1] = us;
    say(
      `  normalize+mask keeps ${((100 * normalizeOnly) / both).toFixed(1)}% of normalize-only throughput (goal >= 60%)`
    );
  }
}
if (normalizeNote !== '') say(`${normalizeNote}; mask-only cost above (budget ~4 µs/line)`);
say(
  `load average at the end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`
);

mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(join(repoRoot, 'bench/results/masking.txt'), out.join('\n') + '\n');
