import { DataFrameType, FieldType, createDataFrame, type DataFrame } from '@grafana/data';
import type { LogSearchResponse } from '@cairn/contract';
import type { PatternsResponse, SeriesResponse } from '../types';

/** Logs follow Grafana's log-lines frame convention: timestamp, body, severity, labels, id. */
export function logsToFrame(response: LogSearchResponse, refId: string): DataFrame {
  const hits = response.hits;
  return createDataFrame({
    refId,
    name: 'logs',
    meta: {
      type: DataFrameType.LogLines,
      typeVersion: [0, 0],
      preferredVisualisationType: 'logs',
      custom: { total: response.total },
    },
    fields: [
      { name: 'timestamp', type: FieldType.time, values: hits.map((h) => Date.parse(h.record['@timestamp'])) },
      { name: 'body', type: FieldType.string, values: hits.map((h) => h.record.message) },
      { name: 'severity', type: FieldType.string, values: hits.map((h) => h.record.log.level) },
      { name: 'id', type: FieldType.string, values: hits.map((h) => h.id) },
      { name: 'labels', type: FieldType.other, values: hits.map((h) => logLabels(h.record)) },
    ],
  });
}

/** The labels shown beside a line: service, template and trace first, then the record's own labels. */
export function logLabels(record: LogSearchResponse['hits'][number]['record']): Record<string, string> {
  const labels: Record<string, string> = { service: record.service.name };
  if (record.deployment?.environment) {
    labels.environment = record.deployment.environment;
  }
  if (record.template?.id) {
    labels.template = record.template.id;
  }
  if (record.trace?.id) {
    labels.trace_id = record.trace.id;
  }
  return { ...record.labels, ...labels };
}

export function patternsToFrame(response: PatternsResponse, refId: string): DataFrame {
  const patterns = response.patterns;
  return createDataFrame({
    refId,
    name: 'patterns',
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { name: 'pattern', type: FieldType.string, values: patterns.map((p) => p.pattern) },
      { name: 'count', type: FieldType.number, values: patterns.map((p) => p.count) },
      { name: 'service', type: FieldType.string, values: patterns.map((p) => p.service) },
      { name: 'templateId', type: FieldType.string, values: patterns.map((p) => p.templateId) },
      { name: 'new', type: FieldType.boolean, values: patterns.map((p) => p.isNew ?? false) },
      { name: 'lastSeen', type: FieldType.time, values: patterns.map((p) => toMillis(p.lastSeen)) },
    ],
  });
}

/** Field names are what the seasonal band panel looks for: time, value, expected, lower, upper, anomaly. */
export function seriesToFrame(response: SeriesResponse, refId: string): DataFrame {
  const points = response.points;
  const displayName = `${response.service} ${response.metric}`;
  return createDataFrame({
    refId,
    name: displayName,
    meta: { preferredVisualisationType: 'graph' },
    fields: [
      { name: 'time', type: FieldType.time, values: points.map((p) => toMillis(p.time)) },
      { name: 'value', type: FieldType.number, values: points.map((p) => p.value), config: { displayName } },
      { name: 'expected', type: FieldType.number, values: points.map((p) => p.expected ?? null) },
      { name: 'lower', type: FieldType.number, values: points.map((p) => p.lower ?? null) },
      { name: 'upper', type: FieldType.number, values: points.map((p) => p.upper ?? null) },
      { name: 'score', type: FieldType.number, values: points.map((p) => p.score ?? null) },
      { name: 'anomaly', type: FieldType.boolean, values: points.map((p) => p.anomaly ?? isOutsideBand(p)) },
    ],
  });
}

function isOutsideBand(p: SeriesResponse['points'][number]): boolean {
  return (p.lower !== undefined && p.value < p.lower) || (p.upper !== undefined && p.value > p.upper);
}

function toMillis(t: number | string | undefined): number | null {
  if (t === undefined) {
    return null;
  }
  const ms = typeof t === 'number' ? t : Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}
