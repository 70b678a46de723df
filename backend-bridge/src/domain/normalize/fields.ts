/** The record fields that free-form keys (JSON, logfmt, OTLP attributes) are recognised as. */
export type KnownField =
  | 'timestamp'
  | 'message'
  | 'level'
  | 'severityNumber'
  | 'service'
  | 'version'
  | 'environment'
  | 'host'
  | 'traceId'
  | 'spanId'
  | 'traceparent'
  | 'requestId'
  | 'userId'
  | 'sessionId'
  | 'logger'
  | 'errorMessage'
  | 'errorType'
  | 'stackTrace'
  | 'httpMethod'
  | 'httpStatus'
  | 'urlPath'
  | 'clientIp'
  | 'durationMs';

const ALIASES: Record<KnownField, string[]> = {
  timestamp: ['@timestamp', 'timestamp', 'time', 'ts', 't', 'datetime', 'date', 'eventtime', '@t', 'time_unix_nano', 'timeunixnano', 'logged_at'],
  message: ['message', 'msg', 'log', 'text', 'body', '@m', 'event', 'log.message'],
  level: ['log.level', 'level', 'lvl', 'severity', 'severity_text', 'severitytext', 'loglevel', 'log_level', 'levelname', 'level_name', '@l', 'status_level'],
  severityNumber: ['severity_number', 'severitynumber'],
  service: ['service.name', 'service', 'service_name', 'servicename', 'app', 'application', 'app_name', 'appname'],
  version: ['service.version', 'version', 'service_version', 'app_version'],
  environment: ['deployment.environment', 'deployment.environment.name', 'environment', 'env', 'deployment_environment', 'service.environment'],
  host: ['host.name', 'host', 'hostname', 'host_name'],
  traceId: ['trace.id', 'trace_id', 'traceid', 'trace-id'],
  spanId: ['span.id', 'span_id', 'spanid', 'span-id'],
  traceparent: ['traceparent'],
  requestId: ['http.request.id', 'request_id', 'requestid', 'req_id', 'reqid', 'x_request_id', 'x-request-id', 'request.id', 'correlation_id', 'correlationid'],
  userId: ['user.id', 'user_id', 'userid', 'enduser.id'],
  sessionId: ['session.id', 'session_id', 'sessionid'],
  logger: ['log.logger', 'logger', 'logger_name', 'loggername'],
  errorMessage: ['error.message', 'error', 'err', 'exception', 'exception.message'],
  errorType: ['error.type', 'error.kind', 'exception.type', 'error_type'],
  stackTrace: ['error.stack_trace', 'stack', 'stacktrace', 'stack_trace', 'exception.stacktrace', 'error.stack'],
  httpMethod: ['http.request.method', 'http.method', 'method', 'http_method'],
  httpStatus: ['http.response.status_code', 'http.status_code', 'status', 'status_code', 'statuscode', 'http_status'],
  urlPath: ['url.path', 'path', 'http.target', 'http.route', 'route', 'uri'],
  clientIp: ['client.ip', 'client_ip', 'remote_addr', 'remote_ip', 'client.address'],
  durationMs: ['duration_ms', 'latency_ms', 'elapsed_ms', 'response_time_ms', 'duration', 'latency', 'elapsed', 'took_ms'],
};

const FIELD_BY_KEY = new Map<string, KnownField>();
for (const [field, keys] of Object.entries(ALIASES) as Array<[KnownField, string[]]>) {
  for (const key of keys) FIELD_BY_KEY.set(key, field);
}

/** Recognises a key in any case; `Service-Name` and `service_name` are the same key. */
export function knownFieldOf(key: string): KnownField | undefined {
  const exact = FIELD_BY_KEY.get(key);
  if (exact) return exact;
  const lower = key.toLowerCase();
  return lower === key ? undefined : FIELD_BY_KEY.get(lower);
}
