export * from './types.js';
export { decodeExportTraceServiceRequest, decodeSpan, serviceNameOf, UNKNOWN_SERVICE } from './traces.js';
export { decodeExportLogsServiceRequest, decodeLogRecord, levelOfSeverityNumber } from './logs.js';
export { decodeAnyValue, decodeAttributes, OtlpFieldError } from './jsonFields.js';
