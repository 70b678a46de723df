import {
  OtlpFieldError,
  decodeAnyValue,
  decodeAttributes,
  decodeHexId,
  decodeOptionalString,
  decodeScope,
  decodeUnixNanosAsMicros,
  isRecord,
  microsToIso,
  optionalArray,
  summarizeRejections,
} from './jsonFields.js';
import { serviceNameOf } from './traces.js';
import { OtlpFormatError, type Attributes, type LogsDecodeResult, type OtlpLog, type RejectedItem } from './types.js';

const SEVERITY_PREFIX = 'SEVERITY_NUMBER_';
const LEVEL_BY_SEVERITY_RANGE = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const SEVERITY_NAME_OFFSET: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };
const LEVEL_BY_TEXT: Record<string, string> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  err: 'error',
  error: 'error',
  critical: 'fatal',
  crit: 'fatal',
  alert: 'fatal',
  emergency: 'fatal',
  fatal: 'fatal',
};

/** SeverityNumber 1..24 falls in six ranges of four (TRACE..FATAL) per the OTel log data model. */
export function levelOfSeverityNumber(severityNumber: number): string | undefined {
  if (!Number.isInteger(severityNumber) || severityNumber < 1 || severityNumber > 24) return undefined;
  return LEVEL_BY_SEVERITY_RANGE[Math.floor((severityNumber - 1) / 4)];
}

function decodeSeverityNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 24) return value || undefined;
  if (typeof value === 'string' && value.startsWith(SEVERITY_PREFIX)) {
    const match = /^([A-Z]+)(\d?)$/.exec(value.slice(SEVERITY_PREFIX.length));
    const offset = match?.[1] !== undefined ? SEVERITY_NAME_OFFSET[match[1]] : undefined;
    if (match && offset !== undefined) {
      const step = match[2] ? Number(match[2]) : 1;
      if (step >= 1 && step <= 4) return offset + step - 1;
    }
    if (value === 'SEVERITY_NUMBER_UNSPECIFIED') return undefined;
  }
  throw new OtlpFieldError('severityNumber must be 0..24 or a SEVERITY_NUMBER_* name');
}

function bodyAsMessage(body: unknown): string {
  const value = decodeAnyValue(body, 'body');
  if (value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One OTLP JSON LogRecord to a plain log; throws OtlpFieldError naming the first broken field. */
export function decodeLogRecord(
  raw: unknown,
  resource: Attributes,
  scope: { name: string; version?: string } | undefined
): OtlpLog {
  if (!isRecord(raw)) throw new OtlpFieldError('logRecord must be an object');
  const observed = decodeUnixNanosAsMicros(raw.observedTimeUnixNano, 'observedTimeUnixNano');
  // The data model says to use the observed time when the event time is unknown.
  const time = decodeUnixNanosAsMicros(raw.timeUnixNano, 'timeUnixNano') ?? observed;
  if (time === undefined) throw new OtlpFieldError('timeUnixNano or observedTimeUnixNano is required');
  const severityNumber = decodeSeverityNumber(raw.severityNumber);
  const severityText = decodeOptionalString(raw.severityText, 'severityText');
  const level =
    (severityNumber !== undefined ? levelOfSeverityNumber(severityNumber) : undefined) ??
    (severityText ? (LEVEL_BY_TEXT[severityText.toLowerCase()] ?? severityText.toLowerCase()) : undefined);
  const log: OtlpLog = {
    timestamp: microsToIso(time),
    'timestamp.us': time,
    message: bodyAsMessage(raw.body),
    serviceName: serviceNameOf(resource),
    resource,
    attributes: decodeAttributes(raw.attributes, 'attributes'),
  };
  if (observed !== undefined) log.observedTimestamp = microsToIso(observed);
  if (level !== undefined) log.level = level;
  if (severityNumber !== undefined) log.severityNumber = severityNumber;
  if (severityText) log.severityText = severityText;
  const traceId = decodeHexId(raw.traceId, 32, 'traceId');
  const spanId = decodeHexId(raw.spanId, 16, 'spanId');
  if (traceId !== undefined) log.traceId = traceId;
  if (spanId !== undefined) log.spanId = spanId;
  if (scope) log.scope = scope;
  return log;
}

/** ExportLogsServiceRequest (OTLP/JSON) to plain logs, rejecting broken records one by one. */
export function decodeExportLogsServiceRequest(document: unknown): LogsDecodeResult {
  if (!isRecord(document)) throw new OtlpFormatError('ExportLogsServiceRequest must be a JSON object');
  const resourceLogs = document.resourceLogs ?? [];
  if (!Array.isArray(resourceLogs)) throw new OtlpFormatError('resourceLogs must be an array');
  const logs: OtlpLog[] = [];
  const rejected: RejectedItem[] = [];
  resourceLogs.forEach((rl: unknown, r) => {
    const rlPath = `resourceLogs[${r}]`;
    let resource: Attributes;
    let scopeLogs: unknown[];
    try {
      if (!isRecord(rl)) throw new OtlpFieldError('must be an object');
      resource = decodeAttributes(isRecord(rl.resource) ? rl.resource.attributes : undefined, 'resource.attributes');
      scopeLogs = optionalArray(rl.scopeLogs, 'scopeLogs');
    } catch (error) {
      if (!(error instanceof OtlpFieldError)) throw error;
      rejected.push({ path: rlPath, reason: error.message });
      return;
    }
    scopeLogs.forEach((sl: unknown, s) => {
      const slPath = `${rlPath}.scopeLogs[${s}]`;
      let records: unknown[];
      try {
        if (!isRecord(sl)) throw new OtlpFieldError('must be an object');
        records = optionalArray(sl.logRecords, 'logRecords');
      } catch (error) {
        if (!(error instanceof OtlpFieldError)) throw error;
        rejected.push({ path: slPath, reason: error.message });
        return;
      }
      const scope = decodeScope(sl.scope);
      records.forEach((raw, i) => {
        try {
          logs.push(decodeLogRecord(raw, resource, scope));
        } catch (error) {
          if (!(error instanceof OtlpFieldError)) throw error;
          rejected.push({ path: `${slPath}.logRecords[${i}]`, reason: error.message });
        }
      });
    });
  });
  const result: LogsDecodeResult = { logs, rejected };
  if (rejected.length > 0) {
    result.partialSuccess = {
      rejectedLogRecords: rejected.length,
      errorMessage: summarizeRejections(rejected, 'log records'),
    };
  }
  return result;
}
