import { DataFrameType, FieldType, createDataFrame, type DataFrame } from '@grafana/data';
import {
  anomaliesRequestSchema,
  type LogSearchResponse,
  type SeriesPoint,
  type SeriesResponse,
  type TopPatternsResponse,
} from '@cairn/contract';

/** A point is flagged at the score the bridge's /anomalies route uses by default, so both views agree. */
const ANOMALY_SCORE = anomaliesRequestSchema.parse({}).minScore;

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

/** The busiest templates as a table; `templateId` links to /patterns/:id. */
export function patternsToFrame(response: TopPatternsResponse, refId: string): DataFrame {
  const patterns = response.patterns;
  return createDataFrame({
    refId,
    name: 'patterns',
    meta: { preferredVisualisationType: 'table', custom: { total: response.total, interval: response.interval } },
    fields: [
      { name: 'pattern', type: FieldType.string, values: patterns.map((p) => p.pattern) },
      { name: 'count', type: FieldType.number, values: patterns.map((p) => p.count) },
      { name: 'share', type: FieldType.number, values: patterns.map((p) => p.share), config: { unit: 'percentunit' } },
      { name: 'errors', type: FieldType.number, values: patterns.map((p) => p.errors) },
      { name: 'service', type: FieldType.string, values: patterns.map((p) => p.service) },
      { name: 'templateId', type: FieldType.string, values: patterns.map((p) => p.id) },
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
    meta: { preferredVisualisationType: 'graph', custom: { tier: response.tier } },
    fields: [
      { name: 'time', type: FieldType.time, values: points.map((p) => p.time) },
      { name: 'value', type: FieldType.number, values: points.map((p) => p.value), config: { displayName } },
      { name: 'expected', type: FieldType.number, values: points.map((p) => p.expected) },
      { name: 'lower', type: FieldType.number, values: points.map((p) => p.lower) },
      { name: 'upper', type: FieldType.number, values: points.map((p) => p.upper) },
      { name: 'score', type: FieldType.number, values: points.map((p) => p.score) },
      { name: 'anomaly', type: FieldType.boolean, values: points.map(isAnomalous) },
    ],
  });
}

/** Anomalous: scored at or above the threshold, or outside the band (a cold-start point has no band: never). */
export function isAnomalous(p: SeriesPoint): boolean {
  return p.score >= ANOMALY_SCORE || (p.lower !== null && p.value < p.lower) || (p.upper !== null && p.value > p.upper);
}
