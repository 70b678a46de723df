import type { JourneyEventView } from '@cairn/contract';
import type { Attributes, OtlpLog, Span } from '../otlp/types.js';

export interface JourneyKey {
  userId?: string;
  sessionId?: string;
}

/** One event of a journey; the API serves it as is (the contract owns the shape). */
export type JourneyEvent = JourneyEventView;

const USER_KEYS = ['user.id', 'enduser.id'];
const SESSION_KEYS = ['session.id'];

function carries(attributes: Attributes, keys: readonly string[], wanted: string): boolean {
  return keys.some((key) => {
    const value = attributes[key];
    return (typeof value === 'string' || typeof value === 'number') && String(value) === wanted;
  });
}

function matches(key: JourneyKey, ...sources: Attributes[]): boolean {
  return sources.some(
    (attributes) =>
      (key.userId !== undefined && carries(attributes, USER_KEYS, key.userId)) ||
      (key.sessionId !== undefined && carries(attributes, SESSION_KEYS, key.sessionId))
  );
}

/**
 * A user's or session's journey (R4): spans and logs carrying the ID, plus everything in the same traces
 * (services downstream rarely repeat the user ID), in time order across services.
 */
export function userJourney(key: JourneyKey, spans: readonly Span[], logs: readonly OtlpLog[]): JourneyEvent[] {
  if (key.userId === undefined && key.sessionId === undefined)
    throw new Error('userJourney needs a userId or sessionId');
  const traceIds = new Set<string>();
  for (const span of spans) if (matches(key, span.attributes, span.resource)) traceIds.add(span['trace.id']);
  for (const log of logs) if (log.traceId && matches(key, log.attributes, log.resource)) traceIds.add(log.traceId);
  const events: JourneyEvent[] = [];
  for (const span of spans) {
    const direct = matches(key, span.attributes, span.resource);
    if (!direct && !traceIds.has(span['trace.id'])) continue;
    events.push({
      'timestamp.us': span['start.us'],
      timestamp: span['@timestamp'],
      type: 'span',
      service: span['service.name'],
      text: span.name,
      traceId: span['trace.id'],
      spanId: span['span.id'],
      error: span.status.code === 'error',
      matchedBy: direct ? 'attribute' : 'trace',
    });
  }
  for (const log of logs) {
    const direct = matches(key, log.attributes, log.resource);
    if (!direct && !(log.traceId && traceIds.has(log.traceId))) continue;
    const event: JourneyEvent = {
      'timestamp.us': log['timestamp.us'],
      timestamp: log.timestamp,
      type: 'log',
      service: log.serviceName,
      text: log.message,
      error: log.level === 'error' || log.level === 'fatal',
      matchedBy: direct ? 'attribute' : 'trace',
    };
    if (log.traceId) event.traceId = log.traceId;
    if (log.spanId) event.spanId = log.spanId;
    if (log.level) event.level = log.level;
    events.push(event);
  }
  // Spans before the logs they contain at the same instant, then stable by trace and span.
  return events.sort(
    (a, b) =>
      a['timestamp.us'] - b['timestamp.us'] ||
      (a.type === b.type ? 0 : a.type === 'span' ? -1 : 1) ||
      (a.traceId ?? '').localeCompare(b.traceId ?? '') ||
      (a.spanId ?? '').localeCompare(b.spanId ?? '')
  );
}

/** Logs grouped by the span they were written in, to show beside each span of a trace. */
export function logsBySpan(logs: readonly OtlpLog[], traceId: string): Map<string, OtlpLog[]> {
  const bySpan = new Map<string, OtlpLog[]>();
  for (const log of logs) {
    if (log.traceId !== traceId || log.spanId === undefined) continue;
    const list = bySpan.get(log.spanId);
    if (list) list.push(log);
    else bySpan.set(log.spanId, [log]);
  }
  for (const list of bySpan.values()) list.sort((a, b) => a['timestamp.us'] - b['timestamp.us']);
  return bySpan;
}
