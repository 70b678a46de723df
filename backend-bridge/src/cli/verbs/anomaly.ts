import { RobustEnsembleDetector } from '../../domain/anomaly/robustEnsembleDetector.js';
import { LineWriter, readLines } from '../io.js';
import type { CliIo, CliVerb } from '../types.js';

const usage = `Usage: cairn anomaly [--help]

Reads a "timestamp,value" CSV on stdin (header row optional) and writes
"timestamp,value,anomaly_score" to stdout, one row per input row. Each score is in [0,1]
and is computed from that row and earlier rows only (streaming).

Timestamps: ISO 8601, "YYYY-MM-DD HH:MM:SS" (UTC unless an offset is given), or epoch
seconds / milliseconds. Rows must be in time order. Blank lines are skipped.

Exit codes: 0 ok, 2 bad arguments or a bad input row (the error names the line).`;

/** Parses the timestamp forms the verb accepts into epoch milliseconds, NaN when none fits. */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    // Below 1e11 an epoch number must be seconds (1e11 ms is 1973; 1e11 s is year 5138).
    return n < 1e11 ? n * 1000 : n;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return Number.NaN;
  const iso = t.replace(' ', 'T');
  return Date.parse(/T.*([zZ]|[+-]\d\d:?\d\d)$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`);
}

class InputError extends Error {}

export const anomalyVerb: CliVerb = {
  name: 'anomaly',
  summary: 'score a timestamp,value CSV for anomalies, streaming (adds anomaly_score per row)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    if (argv.length > 0) {
      io.stderr.write(`cairn anomaly: unexpected argument '${argv[0]}'\n${usage}\n`);
      return 2;
    }
    const out = new LineWriter(io.stdout);
    const detector = new RobustEnsembleDetector();
    let lineNo = 0;
    let rows = 0;
    let lastTs = Number.NEGATIVE_INFINITY;
    try {
      await out.write('timestamp,value,anomaly_score');
      for await (const line of readLines(io.stdin)) {
        lineNo++;
        if (line.trim() === '') continue;
        const fields = line.split(',');
        if (fields.length !== 2) {
          if (rows === 0 && lineNo === 1 && fields.length > 0 && isHeader(fields)) continue;
          throw new InputError(
            `line ${lineNo}: expected 2 fields "timestamp,value", got ${fields.length}: ${clip(line)}`
          );
        }
        const [tsText = '', valueText = ''] = fields;
        const ts = parseTimestamp(tsText);
        const value = valueText.trim() === '' ? Number.NaN : Number(valueText);
        if (rows === 0 && lineNo === 1 && Number.isNaN(ts) && Number.isNaN(value)) continue;
        if (Number.isNaN(ts)) throw new InputError(`line ${lineNo}: not a timestamp: ${clip(tsText)}`);
        if (!Number.isFinite(value)) throw new InputError(`line ${lineNo}: not a number: ${clip(valueText)}`);
        if (ts < lastTs) throw new InputError(`line ${lineNo}: timestamp goes back in time: ${clip(tsText)}`);
        lastTs = ts;
        const score = detector.score(ts, value);
        await out.write(`${tsText.trim()},${valueText.trim()},${formatScore(score)}`);
        rows++;
      }
      await out.flush();
      return 0;
    } catch (err) {
      await out.flush();
      if (err instanceof InputError) {
        io.stderr.write(`cairn anomaly: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  },
};

function isHeader(fields: string[]): boolean {
  return fields.every((f) => Number.isNaN(parseTimestamp(f)) && Number.isNaN(Number(f)));
}

function formatScore(score: number): string {
  // Nine decimals keep alert-level scores (0.9999…) apart; trailing zeros dropped for readability.
  return String(Math.round(score * 1e9) / 1e9);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
