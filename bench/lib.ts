import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** Collects a benchmark's report, prints it as it goes, and saves it under bench/results/. */
export class Report {
  private lines: string[] = [];
  constructor(private readonly name: string) {
    this.line(`# ${name} — ${new Date().toISOString()}`);
    this.line(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  }
  line(text = ''): void {
    this.lines.push(text);
    process.stdout.write(`${text}\n`);
  }
  table(header: string[], rows: Array<Array<string | number>>): void {
    const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
    const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
    for (const [i, r] of cells.entries()) {
      this.line(r.map((c, j) => String(c).padEnd(widths[j] ?? 0)).join('  '));
      if (i === 0) this.line(widths.map((w) => '-'.repeat(w)).join('  '));
    }
  }
  save(): void {
    const dir = join(BENCH_DIR, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${this.name}.txt`), this.lines.join('\n') + '\n');
  }
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
