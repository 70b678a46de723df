import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { API_PREFIX, SIGNALS_INDEX } from '@cairn/contract';
import { DEFAULT_TIERS_FILE, loadTiers, type TiersConfig } from './tiers.js';

/** The provisioned Grafana datasource (provisioning/datasources/cairn.yaml) over `cairn-signals`. */
export const SIGNALS_DATASOURCE_UID = 'cairn-signals';
export const WEBHOOK_URL = `http://bridge:8080${API_PREFIX}/alerts/webhook`;
export const ALERT_RULES_FILE = resolve(import.meta.dirname, '../../../../provisioning/alerting/cairn-signals.yaml');
/** Minutes of signals each evaluation reads: the newest scored minute lags by the settle delay. */
const LOOKBACK_SECONDS = 600;

/** Query model of the rule's Elasticsearch query (Grafana's core Elasticsearch datasource, editor JSON). */
export interface GrafanaEsQueryModel {
  refId: string;
  datasource: { type: 'elasticsearch'; uid: string };
  query: string;
  alias: string;
  metrics: Array<{ id: string; type: string; field: string }>;
  bucketAggs: Array<{ id: string; type: string; field: string; settings: Record<string, string> }>;
  timeField: string;
  intervalMs: number;
  maxDataPoints: number;
}

/** Max anomaly score per service per minute, for the services of one tier. */
export function tierQueryModel(tier: string): GrafanaEsQueryModel {
  return {
    refId: 'A',
    datasource: { type: 'elasticsearch', uid: SIGNALS_DATASOURCE_UID },
    query: `tier:"${tier}"`,
    alias: '',
    metrics: [{ id: '1', type: 'max', field: 'score' }],
    bucketAggs: [
      {
        id: '2',
        type: 'terms',
        field: 'service.name',
        settings: { size: '500', order: 'desc', orderBy: '1', min_doc_count: '1' },
      },
      { id: '3', type: 'date_histogram', field: '@timestamp', settings: { interval: '1m', min_doc_count: '0' } },
    ],
    timeField: '@timestamp',
    intervalMs: 60_000,
    maxDataPoints: 43_200,
  };
}

/**
 * The search body Grafana's Elasticsearch backend sends for a query model of this shape (query_string filter,
 * nested bucket aggregations with ids as names, the metric innermost), so tests can run the rule's real query.
 */
export function grafanaSearchBody(model: GrafanaEsQueryModel, fromMs: number, toMs: number): Record<string, unknown> {
  let aggs: Record<string, unknown> = Object.fromEntries(
    model.metrics.map((m) => [m.id, { [m.type]: { field: m.field } }])
  );
  for (const b of [...model.bucketAggs].reverse()) {
    const body =
      b.type === 'terms'
        ? {
            terms: {
              field: b.field,
              size: Number(b.settings.size ?? '10'),
              order: {
                [b.settings.orderBy === '_term' ? '_key' : (b.settings.orderBy ?? '_count')]:
                  b.settings.order ?? 'desc',
              },
              min_doc_count: Number(b.settings.min_doc_count ?? '1'),
            },
          }
        : {
            date_histogram: {
              field: b.field,
              fixed_interval: b.settings.interval ?? '1m',
              min_doc_count: Number(b.settings.min_doc_count ?? '0'),
              extended_bounds: { min: fromMs, max: toMs },
              format: 'epoch_millis',
            },
          };
    // Ordering terms by a metric: Grafana adds that metric beside the inner aggregations so the order path exists.
    const orderMetric = b.type === 'terms' ? model.metrics.find((m) => m.id === b.settings.orderBy) : undefined;
    if (orderMetric) aggs = { ...aggs, [orderMetric.id]: { [orderMetric.type]: { field: orderMetric.field } } };
    aggs = { [b.id]: { ...body, aggs } };
  }
  return {
    size: 0,
    query: {
      bool: {
        filter: [
          { range: { [model.timeField]: { gte: fromMs, lte: toMs, format: 'epoch_millis' } } },
          { query_string: { analyze_wildcard: true, query: model.query } },
        ],
      },
    },
    aggs,
  };
}

/** Grafana alerting file provisioning (apiVersion 1): one rule per tier, a webhook contact point, the policy. */
export function alertProvisioning(tiers: TiersConfig): Record<string, unknown> {
  const rules = Object.entries(tiers.tiers).map(([name, tier]) => ({
    uid: `cairn-anomaly-${name}`.slice(0, 40),
    title: `Cairn anomaly: ${name} tier`,
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: LOOKBACK_SECONDS, to: 0 },
        datasourceUid: SIGNALS_DATASOURCE_UID,
        model: tierQueryModel(name),
      },
      {
        refId: 'B',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: '__expr__',
        model: { refId: 'B', type: 'reduce', expression: 'A', reducer: 'last', settings: { mode: 'dropNN' } },
      },
      {
        refId: 'C',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: 'gt', params: [tier.score_threshold] } }],
        },
      },
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: `${tier.for_minutes}m`,
    annotations: {
      summary: `{{ index $labels "service.name" }} is anomalous (score {{ $values.B.Value }} > ${tier.score_threshold})`,
      description: `Cairn's anomaly score for {{ index $labels "service.name" }} (${name} tier) stayed above ${tier.score_threshold} for ${tier.for_minutes}m. Which signal moved: ${API_PREFIX}/anomalies; what moved with it: ${API_PREFIX}/correlation.`,
    },
    labels: { source: 'cairn', tier: name },
    isPaused: false,
  }));
  return {
    apiVersion: 1,
    groups: [{ orgId: 1, name: 'cairn-signals', folder: 'Cairn', interval: '1m', rules }],
    contactPoints: [
      {
        orgId: 1,
        name: 'cairn-bridge',
        receivers: [
          {
            uid: 'cairn-bridge-webhook',
            type: 'webhook',
            disableResolveMessage: false,
            settings: {
              url: WEBHOOK_URL,
              httpMethod: 'POST',
              authorization_scheme: 'Bearer',
              authorization_credentials: '$CAIRN_BRIDGE_TOKEN',
            },
          },
        ],
      },
    ],
    policies: [
      {
        orgId: 1,
        receiver: 'cairn-bridge',
        group_by: ['alertname', 'service.name'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
      },
    ],
  };
}

export function renderAlertProvisioning(tiers: TiersConfig): string {
  return (
    `# Generated from config/tiers.yaml by backend-bridge/src/modules/signals/alertRules.ts; do not edit by hand:\n` +
    `#   npx tsx backend-bridge/src/modules/signals/alertRules.ts --write\n` +
    `# Mounted at /etc/grafana/provisioning/alerting. Rules read ${SIGNALS_INDEX} through the "${SIGNALS_DATASOURCE_UID}" datasource.\n` +
    stringify(alertProvisioning(tiers), { lineWidth: 0 })
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const text = renderAlertProvisioning(loadTiers(process.argv[3] ?? DEFAULT_TIERS_FILE));
  if (process.argv[2] === '--write') {
    writeFileSync(ALERT_RULES_FILE, text);
    process.stderr.write(`wrote ${ALERT_RULES_FILE}\n`);
  } else if (process.argv[2] === '--check') {
    const same = readFileSync(ALERT_RULES_FILE, 'utf8') === text;
    process.stderr.write(same ? 'up to date\n' : `${ALERT_RULES_FILE} is stale: run with --write\n`);
    process.exitCode = same ? 0 : 1;
  } else process.stdout.write(text);
}
