import type { AttributeValue, OtlpLog } from '../../domain/otlp/types.js';

/** OTel exception attributes to their ECS names, so the normalizer fills `error.*`. */
const RENAMED: Record<string, string> = {
  'exception.type': 'error.type',
  'exception.message': 'error.message',
  'exception.stacktrace': 'error.stack_trace',
};

function flatValue(value: AttributeValue): string | number | boolean | null {
  if (value === null || typeof value !== 'object') return value;
  return JSON.stringify(value);
}

/**
 * An OTLP log as the ECS-named JSON line the log pipeline reads (with header `cairn-format: otlp`):
 * resource then record attributes as flat keys, the record's own fields last so they win.
 */
export function otlpLogToEcsJson(log: OtlpLog): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const source of [log.resource, log.attributes]) {
    for (const [key, value] of Object.entries(source)) out[RENAMED[key] ?? key] = flatValue(value);
  }
  out['@timestamp'] = log.timestamp;
  out.message = log.message;
  out['service.name'] = log.serviceName;
  if (log.level !== undefined) out['log.level'] = log.level;
  if (log.severityNumber !== undefined) out.severity_number = log.severityNumber;
  if (log.traceId !== undefined) out['trace.id'] = log.traceId;
  if (log.spanId !== undefined) out['span.id'] = log.spanId;
  if (log.scope && out['log.logger'] === undefined) out['log.logger'] = log.scope.name;
  return out;
}
