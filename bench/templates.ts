// Template mining (issue 7): Cairn's miner vs Drain3 (PyPI, defaults) on the Loghub 2k samples, a 1M-line input
// built from them, and the memory of a state with 100,000 distinct templates. Run: npx tsx bench/templates.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TemplateMiner } from '../backend-bridge/src/domain/templates/miner.js';
import { groupingAccuracy } from '../backend-bridge/src/domain/templates/grouping-accuracy.js';
import { parseCsv } from '../backend-bridge/src/testing/csv.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const loghubDir = resolve(repoRoot, '../shared/data/loghub');
const venvDir = join(homedir(), '.cache', 'cairn', 'venv');
const venvPython = join(venvDir, 'bin', 'python');
const drainScript = join(repoRoot, 'bench', 'peers', 'drain3_run.py');
const SYSTEMS = ['HDFS', 'Apache', 'OpenSSH', 'Zookeeper', 'Spark', 'Linux', 'HealthApp', 'Proxifier'];
const BIG_LINES = 1_000_000;
const DRAIN_BIG_MAX_SECONDS = 60;
const SYNTHETIC_TEMPLATES = 100_000;
/** 2,000 lines take milliseconds: each miner mines each sample this many times (fresh state each time), median time. */
const SAMPLE_REPEATS = 7;

const out: string[] = [];
function say(line = ''): void {
  out.push(line);
  console.log(line);
}


function loadSystem(system: string): { contents: string[]; events: string[] } {
  const rows = parseCsv(readFileSync(join(loghubDir, system, `${system}_2k.log_structured.csv`), 'utf8'));
  const header = rows[0] ?? [];
  const ci = header.indexOf('Content');
  const ei = header.indexOf('EventId');
  const data = rows.slice(1).filter((r) => r.length === header.length);
  return { contents: data.map((r) => r[ci] ?? ''), events: data.map((r) => r[ei] ?? '') };
}

function ensureVenv(): boolean {
  if (existsSync(venvPython) && spawnSync(venvPython, ['-c', 'import drain3']).status === 0) return true;
  console.error(`creating ${venvDir} and installing drain3 …`);
  mkdirSync(dirname(venvDir), { recursive: true });
  try {
    if (!existsSync(venvPython)) execFileSync('python3', ['-m', 'venv', venvDir], { stdio: 'inherit' });
    execFileSync(venvPython, ['-m', 'pip', 'install', '-q', 'drain3'], { stdio: 'inherit' });
    return true;
  } catch (error) {
    console.error(`drain3 unavailable: ${(error as Error).message}`);
    return false;
  }
}

interface DrainRun {
  ids: string[];
  lines: number;
  seconds: number;
  clusters: number;
}

function runDrain(lines: string[], workDir: string, maxSeconds?: number, repeats = 1): DrainRun {
  const input = join(workDir, 'input.txt');
  const ids = join(workDir, 'ids.txt');
  // Drain3 reads one message per line: embedded newlines would shift lines, so they become spaces for both miners.
  writeFileSync(input, lines.join('\n') + '\n');
  const args = [drainScript, input, ids];
  args.push(maxSeconds === undefined ? '-' : String(maxSeconds), String(repeats));
  const stdout = execFileSync(venvPython, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Omit<DrainRun, 'ids'>;
  return { ...report, ids: readFileSync(ids, 'utf8').split('\n') };
}

function runCairn(
  lines: string[],
  repeats = 1
): { ids: string[]; finalIds: string[]; seconds: number; templates: number } {
  let miner = new TemplateMiner();
  const ids = new Array<string>(lines.length);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    miner = new TemplateMiner();
    const start = performance.now();
    for (let i = 0; i < lines.length; i++) ids[i] = miner.add(lines[i] as string).templateId;
    times.push((performance.now() - start) / 1000);
  }
  const seconds = times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
  // Documents keep the ID they were given; merged IDs resolve through the survivor's aliases.
  const finalIds = ids.map((id) => miner.resolveId(id) ?? id);
  return { ids, finalIds, seconds, templates: miner.templateCount };
}

function gcHeapMb(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}

/** Deterministic pseudo-random words: letters only, so every synthetic message is its own template. */
function syntheticMessages(count: number): string[] {
  let seed = 42;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const vocabulary: string[] = [];
  for (let w = 0; w < 20_000; w++) {
    let word = '';
    const len = 4 + (next() % 7);
    for (let c = 0; c < len; c++) word += String.fromCharCode(97 + (next() % 26));
    vocabulary.push(word);
  }
  const messages: string[] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    const len = 6 + (next() % 10);
    for (let t = 0; t < len; t++) words.push(vocabulary[next() % vocabulary.length] as string);
    words.push(`id=${next()}`, `took ${next() % 1000} ms`);
    messages.push(words.join(' '));
  }
  return messages;
}

function fmtRate(lines: number, seconds: number): string {
  return Math.round(lines / seconds).toLocaleString('en-US');
}

function main(): void {
  const workDir = mkdtempSync(join(tmpdir(), 'cairn-templates-bench-'));
  const haveDrain = ensureVenv();
  say('# Template mining: Cairn vs Drain3 (PyPI, default config), Loghub 2k, Content column in order');
  say(
    `date ${new Date().toISOString()} · ${cpus().length} cores · load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`
  );
  say(
    'Both miners are single-threaded: lines/s is per core (2k samples: median of 7 fresh runs each). GA = grouping accuracy (../shared/data/README.md).'
  );
  say(
    'Cairn GA uses final IDs (merged IDs resolved through aliases); "as emitted" uses the ID each line got when mined.'
  );
  say();
  say(
    `${'system'.padEnd(10)} ${'Cairn GA'.padStart(9)} ${'as emitted'.padStart(10)} ${'Drain3 GA'.padStart(9)}` +
      ` ${'Cairn lines/s'.padStart(14)} ${'Drain3 lines/s'.padStart(14)} ${'Cairn tpl'.padStart(9)} ${'Drain3 tpl'.padStart(10)} ${'truth'.padStart(5)}`
  );
  let sumCairn = 0;
  let sumDrain = 0;
  let minCairn = 1;
  const allLines: string[] = [];
  let cairnLines = 0;
  let cairnSeconds = 0;
  let drainLines = 0;
  let drainSeconds = 0;
  for (const system of SYSTEMS) {
    const { contents: raw, events } = loadSystem(system);
    const contents = raw.map((c) => c.replace(/[\r\n]+/g, ' '));
    allLines.push(...contents);
    // Warm the JIT on another copy so the timed run measures steady-state speed, as Python needs no warm-up.
    runCairn(contents);
    const cairn = runCairn(contents, SAMPLE_REPEATS);
    const gaCairn = groupingAccuracy(cairn.finalIds, events);
    const gaEmitted = groupingAccuracy(cairn.ids, events);
    sumCairn += gaCairn;
    minCairn = Math.min(minCairn, gaCairn);
    cairnLines += contents.length;
    cairnSeconds += cairn.seconds;
    let drainGa = NaN;
    let drainRate = '-';
    let drainTpl = '-';
    if (haveDrain) {
      const drain = runDrain(contents, workDir, undefined, SAMPLE_REPEATS);
      drainGa = groupingAccuracy(drain.ids.slice(0, events.length), events);
      sumDrain += drainGa;
      drainLines += drain.lines;
      drainSeconds += drain.seconds;
      drainRate = fmtRate(drain.lines, drain.seconds);
      drainTpl = String(drain.clusters);
    }
    say(
      `${system.padEnd(10)} ${gaCairn.toFixed(3).padStart(9)} ${gaEmitted.toFixed(3).padStart(10)} ${drainGa.toFixed(3).padStart(9)}` +
        ` ${fmtRate(contents.length, cairn.seconds).padStart(14)} ${drainRate.padStart(14)} ${String(cairn.templates).padStart(9)}` +
        ` ${drainTpl.padStart(10)} ${String(new Set(events).size).padStart(5)}`
    );
  }
  const n = SYSTEMS.length;
  say(
    `${'average'.padEnd(10)} ${(sumCairn / n).toFixed(3).padStart(9)} ${''.padStart(10)} ${haveDrain ? (sumDrain / n).toFixed(3).padStart(9) : '-'.padStart(9)}` +
      ` ${fmtRate(cairnLines, cairnSeconds).padStart(14)} ${haveDrain ? fmtRate(drainLines, drainSeconds).padStart(14) : '-'}`
  );
  say(`Cairn lowest system GA ${minCairn.toFixed(3)} (goal: average ≥ 0.95, none below 0.85)`);
  say();

  const big: string[] = [];
  while (big.length < BIG_LINES) for (const line of allLines) if (big.length < BIG_LINES) big.push(line);
  const cairnBig = runCairn(big);
  const cairnBigRate = big.length / cairnBig.seconds;
  say(`# ${big.length.toLocaleString('en-US')}-line input (the eight samples repeated, all systems in one miner)`);
  say(
    `Cairn : ${fmtRate(big.length, cairnBig.seconds)} lines/s, ${cairnBig.seconds.toFixed(2)} s, ${cairnBig.templates} templates`
  );
  if (haveDrain) {
    const drainBig = runDrain(big, workDir, DRAIN_BIG_MAX_SECONDS);
    const drainBigRate = drainBig.lines / drainBig.seconds;
    say(
      `Drain3: ${fmtRate(drainBig.lines, drainBig.seconds)} lines/s, ${drainBig.seconds.toFixed(2)} s for ${drainBig.lines.toLocaleString('en-US')} lines` +
        `${drainBig.lines < big.length ? ` (capped at ${DRAIN_BIG_MAX_SECONDS} s)` : ''}, ${drainBig.clusters} templates`
    );
    say(
      `Cairn / Drain3 throughput: ${(cairnBigRate / drainBigRate).toFixed(2)}× on 1M lines, ${(cairnLines / cairnSeconds / (drainLines / drainSeconds)).toFixed(2)}× on the 2k samples (goal ≥ 2×)`
    );
  }
  say();

  const messages = syntheticMessages(SYNTHETIC_TEMPLATES);
  const before = gcHeapMb();
  const miner = new TemplateMiner();
  const start = performance.now();
  for (const m of messages) miner.add(m);
  const seconds = (performance.now() - start) / 1000;
  const after = gcHeapMb();
  const stateBytes = JSON.stringify(miner.exportState()).length;
  say(
    `# Memory: state with ${miner.templateCount.toLocaleString('en-US')} distinct synthetic templates (goal < 200 MB)`
  );
  say(
    `heap growth ${(after - before).toFixed(1)} MB (live miner incl. indexes and shape cache), exported JSON ${(stateBytes / 1048576).toFixed(1)} MB, ` +
      `learnt at ${fmtRate(messages.length, seconds)} new templates/s`
  );
  if (miner.templateCount < 1) throw new Error('no templates');

  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'templates.txt'), out.join('\n') + '\n');
}

main();
