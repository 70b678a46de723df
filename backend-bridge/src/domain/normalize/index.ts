import type { LogFormat, LogLevel, LogRecord, Repair } from '@cairn/contract';
import { knownFieldOf, type KnownField } from './fields.js';
import { inferLevelFromText, levelFromName, levelFromNumber, levelFromSyslogSeverity } from './level.js';
import { looksLikeLogfmt, parseLogfmt } from './logfmt.js';
import { epochToMs, parseSyslogTime, parseTimestamp } from './timestamp.js';

export { parseTimestamp } from './timestamp.js';
export { parseLogfmt } from './logfmt.js';
export { inferLevelFromText, levelFromName } from './level.js';

/** What the transport knows about a line: used to repair what the line itself lacks. */
export interface NormalizeContext {
  topic?: string;
  partition?: number;
  offset?: string;
  /** Kafka key: the service name by convention (topics are partitioned by service). */
  key?: string;
  /** Kafka record timestamp (ms), the fallback time. */
  receivedAtMs?: number;
  /** The format the producer declared (e.g. `otlp`), skipping detection. */
  format?: LogFormat;
  /** Reference clock for plausibility checks and year-less syslog times; defaults to receivedAtMs or now. */
  nowMs?: number;
}

export interface NormalizeLimits {
  /** Longer messages are cut to this many characters and flagged `message_truncated`. */
  maxMessageChars: number;
  maxLabels: number;
  maxLabelValueChars: number;
  /** Nested JSON deeper than this is kept as a bounded JSON string label and flagged `json_too_deep`. */
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: NormalizeLimits = {
  maxMessageChars: 256 * 1024,
  maxLabels: 64,
  maxLabelValueChars: 1024,
  maxJsonDepth: 4,
};

/** Fields gathered while parsing, before the record is assembled and repaired. */
interface Draft {
  format: LogFormat;
  repairs: Repair[];
  timestampMs?: number;
  timestampText?: string;
  message?: string;
  level?: LogLevel;
  levelText?: string;
  service?: string;
  version?: string;
  environment?: string;
  host?: string;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  userId?: string;
  sessionId?: string;
  logger?: string;
  errorMessage?: string;
  errorType?: string;
  stackTrace?: string;
  httpMethod?: string;
  httpStatus?: number;
  urlPath?: string;
  clientIp?: string;
  durationMs?: number;
  labels: Record<string, string>;
  labelCount: number;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const TRACEPARENT_IN_TEXT = /\b[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}\b/;
const INLINE_IDS =
  /\b(trace[_.-]?id|span[_.-]?id|request[_.-]?id|req[_.-]?id|user[_.-]?id|session[_.-]?id|traceparent)[=:]\s?"?([A-Za-z0-9._:@-]{1,128})/gi;
const DURATION_WITH_UNIT = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m)?$/;

function newDraft(format: LogFormat): Draft {
  return { format, repairs: [], labels: {}, labelCount: 0 };
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

function normalizeHexId(value: string, expected: RegExp): string | undefined {
  const v = value.length === 32 || value.length === 16 ? value.toLowerCase() : value.toLowerCase().replace(/-/g, '');
  return expected.test(v) && !/^0+$/.test(v) ? v : undefined;
}

function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = DURATION_WITH_UNIT.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'ns':
      return n / 1e6;
    case 'us':
    case 'µs':
      return n / 1e3;
    case 's':
      return n * 1000;
    case 'm':
      return n * 60_000;
    default:
      return n;
  }
}

/** Label keys are flat: dots would become object paths in Elasticsearch and clash across services. */
function labelKey(key: string): string {
  let out = key.length > 96 ? key.slice(0, 96) : key;
  if (/[^A-Za-z0-9_-]/.test(out)) out = out.replace(/[^A-Za-z0-9_-]+/g, '_');
  return out.length === 0 ? '_' : out;
}

function addLabel(d: Draft, key: string, value: string, limits: NormalizeLimits): void {
  if (d.labelCount >= limits.maxLabels) return;
  const k = labelKey(key);
  if (!(k in d.labels)) d.labelCount++;
  d.labels[k] = value.length > limits.maxLabelValueChars ? value.slice(0, limits.maxLabelValueChars) : value;
}

/** JSON of a value, cut off at a depth and a length, so that hostile nesting cannot blow the stack. */
export function boundedJson(value: unknown, maxDepth: number, maxChars: number): string {
  let out = '';
  const write = (v: unknown, depth: number): void => {
    if (out.length > maxChars) return;
    if (v === null || typeof v !== 'object') {
      out += JSON.stringify(v) ?? 'null';
      return;
    }
    if (depth >= maxDepth) {
      out += Array.isArray(v) ? '[…]' : '{…}';
      return;
    }
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && out.length <= maxChars; i++) {
        if (i > 0) out += ',';
        write(v[i], depth + 1);
      }
      out += ']';
      return;
    }
    out += '{';
    let first = true;
    for (const k in v as Record<string, unknown>) {
      if (out.length > maxChars) break;
      if (!first) out += ',';
      first = false;
      out += JSON.stringify(k) + ':';
      write((v as Record<string, unknown>)[k], depth + 1);
    }
    out += '}';
  };
  write(value, 0);
  return out.length > maxChars ? out.slice(0, maxChars) : out;
}

/** Takes one key/value from a structured line: a known field, or a label. */
function takeField(d: Draft, key: string, value: unknown, limits: NormalizeLimits): void {
  const field: KnownField | undefined = knownFieldOf(key);
  if (field !== undefined && assignKnown(d, field, value)) return;
  if (value === null || value === undefined) return;
  const text = asText(value);
  if (field !== undefined && text === undefined && !d.repairs.includes('field_conflict')) d.repairs.push('field_conflict');
  addLabel(d, key, text ?? boundedJson(value, 3, limits.maxLabelValueChars), limits);
}

/** Returns false when the value's type does not fit the field, so the caller keeps it as a label. */
function assignKnown(d: Draft, field: KnownField, value: unknown): boolean {
  const text = asText(value);
  switch (field) {
    case 'timestamp':
      if (d.timestampMs !== undefined) return false;
      if (typeof value === 'number') {
        d.timestampText = String(value);
        d.timestampMs = epochToMs(value, Date.now()) ?? Number.NaN;
        return true;
      }
      if (text === undefined) return false;
      d.timestampText = text;
      return true;
    case 'message':
      if (text === undefined) return false;
      if (d.message !== undefined) return false;
      d.message = text;
      return true;
    case 'level':
      if (typeof value === 'number') {
        d.level ??= levelFromNumber(value);
        return d.level !== undefined;
      }
      if (text === undefined) return false;
      d.levelText ??= text;
      return true;
    case 'severityNumber': {
      const n = typeof value === 'number' ? value : Number(text);
      const level = levelFromNumber(n);
      if (!level) return false;
      d.level ??= level;
      return true;
    }
    case 'service':
      if (text === undefined || text.length === 0) return false;
      d.service ??= text;
      return true;
    case 'version':
      if (text === undefined) return false;
      d.version ??= text;
      return true;
    case 'environment':
      if (text === undefined) return false;
      d.environment ??= text;
      return true;
    case 'host':
      if (text === undefined) return false;
      d.host ??= text;
      return true;
    case 'traceId': {
      const id = text === undefined ? undefined : normalizeHexId(text, HEX32);
      if (!id) return false;
      d.traceId ??= id;
      return true;
    }
    case 'spanId': {
      const id = text === undefined ? undefined : normalizeHexId(text, HEX16);
      if (!id) return false;
      d.spanId ??= id;
      return true;
    }
    case 'traceparent': {
      const m = text === undefined ? null : TRACEPARENT.exec(text.trim().toLowerCase());
      if (!m) return false;
      d.traceId ??= m[1];
      d.spanId ??= m[2];
      return true;
    }
    case 'requestId':
      if (text === undefined || text.length === 0 || text.length > 256) return false;
      d.requestId ??= text;
      return true;
    case 'userId':
      if (text === undefined || text.length === 0) return false;
      d.userId ??= text;
      return true;
    case 'sessionId':
      if (text === undefined || text.length === 0) return false;
      d.sessionId ??= text;
      return true;
    case 'logger':
      if (text === undefined) return false;
      d.logger ??= text;
      return true;
    case 'errorMessage':
      if (text !== undefined) {
        d.errorMessage ??= text;
        return true;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const e = value as Record<string, unknown>;
        d.errorMessage ??= asText(e.message) ?? asText(e.msg);
        d.errorType ??= asText(e.type) ?? asText(e.name) ?? asText(e.kind);
        d.stackTrace ??= asText(e.stack) ?? asText(e.stack_trace) ?? asText(e.stacktrace);
        return d.errorMessage !== undefined || d.errorType !== undefined;
      }
      return false;
    case 'errorType':
      if (text === undefined) return false;
      d.errorType ??= text;
      return true;
    case 'stackTrace':
      if (text === undefined) return false;
      d.stackTrace ??= text;
      return true;
    case 'httpMethod':
      if (text === undefined || text.length > 16) return false;
      d.httpMethod ??= text.toUpperCase();
      return true;
    case 'httpStatus': {
      const n = typeof value === 'number' ? value : Number(text);
      if (!Number.isInteger(n) || n < 100 || n > 599) return false;
      d.httpStatus ??= n;
      return true;
    }
    case 'urlPath':
      if (text === undefined || !text.startsWith('/')) return false;
      d.urlPath ??= text;
      return true;
    case 'clientIp':
      if (text === undefined || text.length > 45) return false;
      d.clientIp ??= text;
      return true;
    case 'durationMs': {
      const ms = parseDurationMs(value);
      if (ms === undefined) return false;
      d.durationMs ??= ms;
      return true;
    }
  }
}

/** Object keys that are ECS namespaces (`service: {name}`), walked rather than taken as one value. */
const ECS_NAMESPACES = new Set(['service', 'host', 'log', 'event', 'http', 'url', 'client', 'error', 'trace', 'span', 'user', 'session', 'deployment', 'process', 'exception', 'request']);

/** OTLP/JSON AnyValue (`{"stringValue": "x"}`, `{"intValue": "3"}`, …) to a plain value. */
function unwrapAnyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return typeof v.intValue === 'string' ? Number(v.intValue) : v.intValue;
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: unknown[] } | null)?.values ?? []).map(unwrapAnyValue);
  if ('kvlistValue' in v) {
    const out: Record<string, unknown> = {};
    for (const kv of ((v.kvlistValue as { values?: unknown[] } | null)?.values ?? []) as Array<{ key?: unknown; value?: unknown }>) {
      if (typeof kv?.key === 'string') out[kv.key] = unwrapAnyValue(kv.value);
    }
    return out;
  }
  return value;
}

function isOtlpKeyValueList(value: unknown): value is Array<{ key: string; value?: unknown }> {
  return Array.isArray(value) && value.length > 0 && value.every((kv) => kv !== null && typeof kv === 'object' && typeof (kv as { key?: unknown }).key === 'string');
}

/** An OTLP/JSON LogRecord (one per line, as collectors' file and Kafka exporters write them). */
function takeOtlpLogRecord(d: Draft, obj: Record<string, unknown>, limits: NormalizeLimits): boolean {
  const body = obj.body;
  const looksOtlp =
    ('timeUnixNano' in obj || 'observedTimeUnixNano' in obj || 'severityNumber' in obj) &&
    (body === undefined || (body !== null && typeof body === 'object'));
  if (!looksOtlp) return false;
  const resource = obj.resource as { attributes?: unknown } | undefined;
  if (resource && isOtlpKeyValueList(resource.attributes)) {
    for (const kv of resource.attributes) takeField(d, kv.key, unwrapAnyValue(kv.value), limits);
  }
  if (isOtlpKeyValueList(obj.attributes)) {
    for (const kv of obj.attributes) takeField(d, kv.key, unwrapAnyValue(kv.value), limits);
  }
  const message = unwrapAnyValue(body);
  if (message !== undefined) takeField(d, 'message', typeof message === 'string' ? message : boundedJson(message, 4, limits.maxMessageChars), limits);
  const time = obj.timeUnixNano !== undefined && obj.timeUnixNano !== '0' && obj.timeUnixNano !== 0 ? obj.timeUnixNano : obj.observedTimeUnixNano;
  if (time !== undefined) takeField(d, 'timestamp', typeof time === 'string' ? time : Number(time), limits);
  for (const key of ['severityNumber', 'severityText', 'traceId', 'spanId']) {
    if (obj[key] !== undefined && obj[key] !== '') takeField(d, key, obj[key], limits);
  }
  d.format = 'otlp';
  return true;
}

/** Walks a parsed JSON object; nested objects become dotted keys up to a depth. */
function takeJsonObject(
  d: Draft,
  obj: Record<string, unknown>,
  prefix: string,
  depth: number,
  limits: NormalizeLimits
): void {
  for (const key in obj) {
    const value = obj[key];
    const path = prefix.length === 0 ? key : prefix + '.' + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const field = knownFieldOf(path);
      // An object under a known key such as `error` is handled whole; others are walked.
      if (field !== undefined) {
        if (assignKnown(d, field, value)) continue;
        if (!ECS_NAMESPACES.has(key.toLowerCase())) {
          if (!d.repairs.includes('field_conflict')) d.repairs.push('field_conflict');
          addLabel(d, path, boundedJson(value, 2, limits.maxLabelValueChars), limits);
          continue;
        }
      }
      if (depth + 1 >= limits.maxJsonDepth) {
        if (!d.repairs.includes('json_too_deep')) d.repairs.push('json_too_deep');
        addLabel(d, path, boundedJson(value, 2, limits.maxLabelValueChars), limits);
        continue;
      }
      takeJsonObject(d, value as Record<string, unknown>, path, depth + 1, limits);
    } else {
      takeField(d, path, value, limits);
    }
  }
}

function parseJsonLine(text: string, limits: NormalizeLimits): Draft | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const d = newDraft('json');
  if (!takeOtlpLogRecord(d, parsed as Record<string, unknown>, limits)) takeJsonObject(d, parsed as Record<string, unknown>, '', 0, limits);
  return d;
}

function parseLogfmtLine(text: string, limits: NormalizeLimits): Draft | undefined {
  const pairs = parseLogfmt(text);
  if (!pairs) return undefined;
  const d = newDraft('logfmt');
  for (const [k, v] of pairs) takeField(d, k, v, limits);
  return d;
}

const SYSLOG_5424 =
  /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;
const SYSLOG_3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) (\S+) ([^:[\s]+)(?:\[(\d+)\])?: ?(.*)$/s;
const ACCESS_LOG =
  /^(\S+) (\S+) (\S+) \[([^\]]{10,40})\] "([A-Z]{3,10}) (\S+)(?: (HTTP\/[\d.]+))?" (\d{3}) (\d+|-)(?: "([^"]*)" "([^"]*)")?(.*)$/s;
const LEADING_TIME =
  /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s+/;
const LEVEL_TOKEN = /^[[(<]?([A-Za-z]{4,9}|[EWIDF])[\])>:]?$/;

function parseSyslog5424(text: string): Draft | undefined {
  const m = SYSLOG_5424.exec(text);
  if (!m) return undefined;
  const d = newDraft('syslog5424');
  const pri = Number(m[1]);
  d.level = levelFromSyslogSeverity(pri % 8);
  if (m[2] !== '-') d.timestampText = m[2];
  if (m[3] !== '-') d.host = m[3];
  if (m[4] !== '-') d.service = m[4];
  d.labels.syslog_facility = String(pri >> 3);
  d.labelCount++;
  if (m[5] !== '-' && m[5]) {
    d.labels.process_pid = m[5];
    d.labelCount++;
  }
  if (m[6] !== '-' && m[6]) {
    d.labels.syslog_msgid = m[6];
    d.labelCount++;
  }
  if (m[7] && m[7] !== '-') {
    d.labels.syslog_structured_data = m[7].slice(0, 1024);
    d.labelCount++;
  }
  d.message = (m[8] ?? '').replace(/^\uFEFF/, '');
  return d;
}

function parseSyslog3164(text: string, nowMs: number): Draft | undefined {
  const m = SYSLOG_3164.exec(text);
  if (!m) return undefined;
  const d = newDraft('syslog3164');
  if (m[1] !== undefined) d.level = levelFromSyslogSeverity(Number(m[1]) % 8);
  d.timestampMs = parseSyslogTime((m[2] ?? '').replace(/ {2}/, ' '), nowMs);
  if (d.timestampMs === undefined) d.timestampText = m[2];
  d.host = m[3];
  d.service = m[4];
  if (m[5]) {
    d.labels.process_pid = m[5];
    d.labelCount++;
  }
  d.message = m[6] ?? '';
  return d;
}

function parseAccessLog(text: string): Draft | undefined {
  const m = ACCESS_LOG.exec(text);
  if (!m) return undefined;
  const d = newDraft('access');
  d.clientIp = m[1];
  if (m[3] !== '-') d.userId = m[3];
  d.timestampText = m[4];
  d.httpMethod = m[5];
  d.urlPath = m[6];
  d.httpStatus = Number(m[8]);
  d.level = d.httpStatus >= 500 ? 'error' : d.httpStatus >= 400 ? 'warn' : 'info';
  if (m[9] !== '-' && m[9]) {
    d.labels.http_response_body_bytes = m[9];
    d.labelCount++;
  }
  if (m[10] && m[10] !== '-') {
    d.labels.http_request_referrer = m[10].slice(0, 1024);
    d.labelCount++;
  }
  if (m[11] && m[11] !== '-') {
    d.labels.user_agent = m[11].slice(0, 1024);
    d.labelCount++;
  }
  // Extensions after the combined format, e.g. request time or `traceparent=…`.
  const rest = (m[12] ?? '').trim();
  if (rest.length > 0) {
    const pairs = parseLogfmt(rest);
    if (pairs) for (const [k, v] of pairs) takeField(d, k, v, DEFAULT_LIMITS);
    else if (/^\d+(?:\.\d+)?$/.test(rest)) d.durationMs = Number(rest) * (rest.includes('.') ? 1000 : 1);
  }
  d.message = text;
  return d;
}

/** "ISO-timestamp LEVEL message" and similar: a timestamp first, a level among the next tokens. */
function parsePlain(text: string): Draft {
  const d = newDraft('plain');
  let rest = text;
  const lead = LEADING_TIME.exec(text);
  if (lead) {
    d.timestampText = lead[1];
    rest = text.slice(lead[0].length);
  }
  // Look for a level word among the first few tokens (e.g. `INFO`, `[WARN]`, `<error>`, `main] ERROR`).
  let pos = 0;
  for (let t = 0; t < 4 && pos < rest.length; t++) {
    let end = rest.indexOf(' ', pos);
    if (end === -1) end = rest.length;
    const token = rest.slice(pos, end);
    const m = LEVEL_TOKEN.exec(token);
    if (m?.[1]) {
      const candidate = m[1];
      // One-letter levels and lowercase words count only when bracketed or colon-ended, to keep prose out.
      const strict = candidate.length === 1 || candidate !== candidate.toUpperCase();
      const level = strict && token === candidate ? undefined : levelFromName(candidate);
      if (level) {
        d.level = level;
        if (lead && t === 0) rest = rest.slice(end + 1);
        break;
      }
    }
    pos = end + 1;
  }
  d.message = lead ? rest : text;
  return d;
}

/** Picks IDs written inline in free text (`trace_id=…`, `traceparent: 00-…`). */
function takeInlineIds(d: Draft, text: string, limits: NormalizeLimits): void {
  if (text.indexOf('=') === -1 && text.indexOf(':') === -1) return;
  const head = text.length > 4096 ? text.slice(0, 4096) : text;
  INLINE_IDS.lastIndex = 0;
  for (let m = INLINE_IDS.exec(head); m !== null; m = INLINE_IDS.exec(head)) {
    takeField(d, (m[1] ?? '').toLowerCase().replace(/[.-]/g, '_'), m[2], limits);
  }
  if (d.traceId === undefined && head.indexOf('-') !== -1) {
    const tp = TRACEPARENT_IN_TEXT.exec(head);
    if (tp) {
      d.traceId = tp[1];
      d.spanId ??= tp[2];
    }
  }
}

function detectAndParse(text: string, ctx: NormalizeContext, nowMs: number, limits: NormalizeLimits): Draft {
  const first = text.charCodeAt(0);
  if (first === 123 /* { */ || ctx.format === 'json' || ctx.format === 'otlp') {
    const d = parseJsonLine(text, limits);
    if (d) {
      if (ctx.format === 'otlp') d.format = 'otlp';
      return d;
    }
  }
  if (first === 60 /* < */) {
    const d = text.startsWith('1 ', text.indexOf('>') + 1) ? parseSyslog5424(text) : parseSyslog3164(text, nowMs);
    if (d) {
      takeInlineIds(d, d.message ?? '', limits);
      return d;
    }
  }
  if (looksLikeLogfmt(text)) {
    const d = parseLogfmtLine(text, limits);
    if (d) return d;
  }
  if (first >= 65 && first <= 90 && text.charCodeAt(3) === 32) {
    const d = parseSyslog3164(text, nowMs);
    if (d) {
      takeInlineIds(d, d.message ?? '', limits);
      return d;
    }
  }
  if (text.indexOf('] "') !== -1) {
    const d = parseAccessLog(text);
    if (d) return d;
  }
  const d = parsePlain(text);
  takeInlineIds(d, text, limits);
  return d;
}

function serviceFromTopic(topic: string | undefined): string | undefined {
  if (!topic) return undefined;
  // `logs.checkout`, `cairn.logs.checkout` or `checkout-logs` name the service; the shared topic does not.
  const m = /^(?:cairn\.)?logs[._-](.+)$/.exec(topic) ?? /^(.+)[._-]logs$/.exec(topic);
  return m?.[1] && m[1] !== 'cairn' ? m[1] : undefined;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Builds the record from a draft, repairing what is missing and flagging each repair. */
function assemble(d: Draft, ctx: NormalizeContext, nowMs: number, limits: NormalizeLimits): LogRecord {
  const repairs = d.repairs;
  let ms = d.timestampMs;
  if ((ms === undefined || Number.isNaN(ms)) && d.timestampText !== undefined) ms = parseTimestamp(d.timestampText, nowMs);
  if (ms === undefined || Number.isNaN(ms)) {
    if (d.timestampText !== undefined) {
      repairs.push('timestamp_unparseable');
      addLabel(d, 'original_timestamp', d.timestampText, limits);
    }
    repairs.push('timestamp_from_kafka');
    ms = ctx.receivedAtMs ?? nowMs;
  }

  let message = d.message;
  if (message === undefined || message.length === 0) {
    repairs.push('message_empty');
    message = '';
  } else if (message.length > limits.maxMessageChars) {
    repairs.push('message_truncated');
    message = message.slice(0, limits.maxMessageChars);
  }

  let level = d.level;
  if (level === undefined && d.levelText !== undefined) level = levelFromName(d.levelText);
  if (level === undefined) {
    if (d.levelText !== undefined) addLabel(d, 'original_level', d.levelText, limits);
    repairs.push(message.length > 0 || d.errorMessage ? 'level_inferred' : 'level_unknown');
    level = d.errorMessage !== undefined || d.stackTrace !== undefined ? 'error' : inferLevelFromText(message);
  }

  let service = d.service;
  if (service === undefined && ctx.key) {
    service = ctx.key;
    repairs.push('service_from_key');
  }
  if (service === undefined) {
    service = serviceFromTopic(ctx.topic);
    if (service !== undefined) repairs.push('service_from_topic');
  }
  if (service === undefined) {
    service = 'unknown';
    repairs.push('service_unknown');
  }

  const record: LogRecord = {
    '@timestamp': new Date(ms).toISOString(),
    message,
    log: { level },
    service: { name: service.length > 256 ? service.slice(0, 256) : service },
    labels: d.labels,
    cairn: { format: d.format, repaired: repairs },
  };
  if (d.logger !== undefined) record.log.logger = d.logger;
  if (d.version !== undefined) record.service.version = d.version;
  if (d.environment !== undefined) record.deployment = { environment: d.environment };
  if (d.host !== undefined) record.host = { name: d.host };
  if (d.traceId !== undefined) record.trace = { id: d.traceId };
  if (d.spanId !== undefined) record.span = { id: d.spanId };
  if (d.requestId !== undefined || d.httpMethod !== undefined || d.httpStatus !== undefined) {
    record.http = {};
    if (d.requestId !== undefined || d.httpMethod !== undefined) {
      record.http.request = {};
      setIf(record.http.request, 'id', d.requestId);
      setIf(record.http.request, 'method', d.httpMethod);
    }
    if (d.httpStatus !== undefined) record.http.response = { status_code: d.httpStatus };
  }
  if (d.urlPath !== undefined) record.url = { path: d.urlPath.slice(0, 2048) };
  if (d.clientIp !== undefined) record.client = { ip: d.clientIp };
  if (d.durationMs !== undefined) record.event = { duration: Math.round(d.durationMs * 1e6) };
  if (d.userId !== undefined) record.user = { id: d.userId };
  if (d.sessionId !== undefined) record.session = { id: d.sessionId };
  if (d.errorMessage !== undefined || d.errorType !== undefined || d.stackTrace !== undefined) {
    record.error = {};
    setIf(record.error, 'message', d.errorMessage?.slice(0, limits.maxLabelValueChars * 8));
    setIf(record.error, 'type', d.errorType);
    setIf(record.error, 'stack_trace', d.stackTrace?.slice(0, limits.maxMessageChars));
  }
  if (ctx.topic !== undefined && ctx.partition !== undefined && ctx.offset !== undefined) {
    record.cairn.source = { topic: ctx.topic, partition: ctx.partition, offset: ctx.offset };
  }
  return record;
}

/**
 * Normalizes one raw log line of any supported format (JSON, logfmt, syslog RFC 5424/3164, common and
 * combined access logs, "timestamp LEVEL message" text, OTLP-derived JSON) into one record.
 * Never throws and never drops: what is missing is repaired from the transport and flagged.
 */
export function normalizeLine(raw: string, ctx: NormalizeContext = {}, limits: NormalizeLimits = DEFAULT_LIMITS): LogRecord {
  const nowMs = ctx.nowMs ?? ctx.receivedAtMs ?? Date.now();
  let text = raw;
  // A line far over the limit is cut before parsing, so a hostile 10 MB line costs no more than the limit.
  const hardCap = limits.maxMessageChars * 4;
  let truncatedEarly = false;
  if (text.length > hardCap) {
    text = text.slice(0, hardCap);
    truncatedEarly = true;
  }
  if (text.length > 0 && (text.charCodeAt(text.length - 1) === 10 || text.charCodeAt(text.length - 1) === 13)) {
    text = text.replace(/[\r\n]+$/, '');
  }
  const d = text.length === 0 ? newDraft('plain') : detectAndParse(text, ctx, nowMs, limits);
  if (truncatedEarly) d.repairs.push('message_truncated');
  const record = assemble(d, ctx, nowMs, limits);
  if (truncatedEarly && !record.message.length) record.message = text.slice(0, limits.maxMessageChars);
  return record;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes bytes as UTF-8; invalid sequences become U+FFFD and the record is flagged `invalid_utf8`. */
export function normalizeBytes(bytes: Uint8Array, ctx: NormalizeContext = {}, limits: NormalizeLimits = DEFAULT_LIMITS): LogRecord {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let invalid = false;
  if (text.indexOf('\uFFFD') !== -1) {
    try {
      strictUtf8.decode(bytes);
    } catch {
      invalid = true;
    }
  }
  const record = normalizeLine(text, ctx, limits);
  if (invalid) record.cairn.repaired.push('invalid_utf8');
  return record;
}
