import type { LogLevel } from '@cairn/contract';

const LEVEL_NAMES: Record<string, LogLevel> = {
  trace: 'trace',
  trc: 'trace',
  verbose: 'trace',
  finest: 'trace',
  finer: 'trace',
  debug: 'debug',
  dbg: 'debug',
  fine: 'debug',
  config: 'debug',
  info: 'info',
  inf: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  i: 'info',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  w: 'warn',
  error: 'error',
  err: 'error',
  eror: 'error',
  severe: 'error',
  e: 'error',
  fatal: 'fatal',
  crit: 'fatal',
  critical: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  panic: 'fatal',
  f: 'fatal',
  d: 'debug',
};

/** Maps a level name in any common spelling (log4j, syslog, Go, Python, OTel severityText) to a level. */
export function levelFromName(name: string): LogLevel | undefined {
  const direct = LEVEL_NAMES[name];
  if (direct) return direct;
  const lower = name.trim().toLowerCase();
  const found = LEVEL_NAMES[lower];
  if (found) return found;
  // OTel severity texts such as "INFO2" or "ERROR3".
  const base = lower.replace(/\d+$/, '');
  return base !== lower ? LEVEL_NAMES[base] : undefined;
}

/** Numeric levels: pino/bunyan (10..60) and OTel severityNumber (1..24). */
export function levelFromNumber(n: number): LogLevel | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (n >= 10 && n <= 60 && n % 10 === 0) {
    return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[n / 10 - 1];
  }
  if (n >= 1 && n <= 24) {
    return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((n - 1) / 4)];
  }
  return undefined;
}

/** Syslog severity (PRI mod 8). */
export function levelFromSyslogSeverity(severity: number): LogLevel {
  if (severity <= 2) return 'fatal';
  if (severity === 3) return 'error';
  if (severity === 4) return 'warn';
  if (severity <= 6) return 'info';
  return 'debug';
}

const FATAL_WORDS = /\b(?:fatal|panic|emerg(?:ency)?|critical)\b/i;
const ERROR_WORDS = /\b(?:error|errors|exception|failed|failure|fail|err|refused|denied|timeout|timed out|unreachable)\b/i;
const WARN_WORDS = /\b(?:warn|warning|deprecated|retry(?:ing)?|slow)\b/i;

/** Infers a level from message text when none was given; the record is flagged `level_inferred`. */
export function inferLevelFromText(text: string): LogLevel {
  const head = text.length > 512 ? text.slice(0, 512) : text;
  if (FATAL_WORDS.test(head)) return 'fatal';
  if (ERROR_WORDS.test(head)) return 'error';
  if (WARN_WORDS.test(head)) return 'warn';
  return 'info';
}
