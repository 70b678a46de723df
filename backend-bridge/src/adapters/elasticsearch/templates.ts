/**
 * Index templates and mappings for Cairn's indices. Core Elasticsearch features only: the integration
 * distribution has no ILM, ingest, painless or data streams, so lifecycle is rollover behind a write
 * alias, driven by the bridge.
 */

export interface ShardingOptions {
  shards: number;
  replicas: number;
}

/** Strings default to keywords; free text is `message` and error text only. */
const dynamicTemplates = [
  { labels_as_keywords: { path_match: 'labels.*', mapping: { type: 'keyword', ignore_above: 1024 } } },
  { strings_as_keywords: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } },
];

export function logsIndexTemplate(opts: ShardingOptions): Record<string, unknown> {
  return {
    index_patterns: ['cairn-logs-*'],
    priority: 200,
    template: {
      settings: {
        number_of_shards: opts.shards,
        number_of_replicas: opts.replicas,
        refresh_interval: '1s',
        codec: 'best_compression',
        'mapping.total_fields.limit': 2000,
        'mapping.total_fields.ignore_dynamic_beyond_limit': true,
        'mapping.depth.limit': 10,
        'query.default_field': ['message'],
      },
      mappings: {
        dynamic_templates: dynamicTemplates,
        properties: {
          '@timestamp': { type: 'date' },
          message: { type: 'text', norms: false },
          log: { properties: { level: { type: 'keyword' }, logger: { type: 'keyword' } } },
          service: { properties: { name: { type: 'keyword' }, version: { type: 'keyword' } } },
          deployment: { properties: { environment: { type: 'keyword' } } },
          host: { properties: { name: { type: 'keyword' } } },
          trace: { properties: { id: { type: 'keyword' } } },
          span: { properties: { id: { type: 'keyword' } } },
          http: {
            properties: {
              request: { properties: { id: { type: 'keyword' }, method: { type: 'keyword' } } },
              response: { properties: { status_code: { type: 'short', ignore_malformed: true } } },
            },
          },
          url: { properties: { path: { type: 'keyword', ignore_above: 2048 } } },
          client: { properties: { ip: { type: 'ip', ignore_malformed: true } } },
          event: { properties: { duration: { type: 'long', ignore_malformed: true } } },
          user: { properties: { id: { type: 'keyword' } } },
          session: { properties: { id: { type: 'keyword' } } },
          error: {
            properties: {
              type: { type: 'keyword' },
              message: { type: 'text', norms: false },
              stack_trace: { type: 'text', index: false },
            },
          },
          labels: { type: 'object', dynamic: true },
          template: { properties: { id: { type: 'keyword' }, pattern: { type: 'keyword', index: false } } },
          cairn: {
            properties: {
              format: { type: 'keyword' },
              repaired: { type: 'keyword' },
              class: { type: 'keyword' },
              source: {
                properties: {
                  topic: { type: 'keyword' },
                  partition: { type: 'integer' },
                  offset: { type: 'keyword' },
                },
              },
              masked: { type: 'object', dynamic: true },
            },
          },
        },
      },
    },
    _meta: { managed_by: 'cairn', description: 'normalized, masked log records' },
  };
}

/**
 * Spans as the OTLP decoder writes them (flat dotted ECS/OTel names, times in microseconds). Attributes,
 * resource, events and links are kept in _source only: their keys clash as objects (`http` vs `http.method`);
 * the fields searches need (user.id, session.id) are copied out by the spans indexer.
 */
export function spansIndexTemplate(opts: ShardingOptions): Record<string, unknown> {
  return {
    index_patterns: ['cairn-spans*'],
    priority: 200,
    template: {
      settings: { number_of_shards: opts.shards, number_of_replicas: opts.replicas, codec: 'best_compression' },
      mappings: {
        dynamic: false,
        properties: {
          '@timestamp': { type: 'date' },
          trace: { properties: { id: { type: 'keyword' }, state: { type: 'keyword', index: false } } },
          span: { properties: { id: { type: 'keyword' } } },
          parent: { properties: { id: { type: 'keyword' } } },
          service: { properties: { name: { type: 'keyword' } } },
          name: { type: 'keyword', ignore_above: 1024 },
          kind: { type: 'keyword' },
          start: { properties: { us: { type: 'long' } } },
          end: { properties: { us: { type: 'long' } } },
          duration: { properties: { us: { type: 'long' } } },
          status: { properties: { code: { type: 'keyword' }, message: { type: 'text', norms: false } } },
          user: { properties: { id: { type: 'keyword' } } },
          session: { properties: { id: { type: 'keyword' } } },
          attributes: { type: 'object', enabled: false },
          resource: { type: 'object', enabled: false },
          scope: { type: 'object', enabled: false },
          events: { type: 'object', enabled: false },
          links: { type: 'object', enabled: false },
        },
      },
    },
    _meta: { managed_by: 'cairn', description: 'spans (OTLP intake and cairn.spans)' },
  };
}

export function signalsIndexTemplate(opts: ShardingOptions): Record<string, unknown> {
  return {
    index_patterns: ['cairn-signals*'],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: opts.replicas },
      mappings: {
        dynamic_templates: dynamicTemplates,
        properties: {
          '@timestamp': { type: 'date' },
          service: { properties: { name: { type: 'keyword' } } },
          metric: { type: 'keyword' },
          value: { type: 'double' },
          expected: { type: 'double' },
          lower: { type: 'double' },
          upper: { type: 'double' },
          score: { type: 'double' },
          tier: { type: 'keyword' },
        },
      },
    },
    _meta: { managed_by: 'cairn', description: 'per service/metric/minute baselines and anomaly scores' },
  };
}

/** The first backing index behind a write alias: `cairn-logs-default` → `cairn-logs-default-000001`. */
export function firstBackingIndex(alias: string): string {
  return `${alias}-000001`;
}

export function logsAlias(retentionClass: string): string {
  return `cairn-logs-${retentionClass}`;
}

/** Append-only audit events (policy changes, access): every string a keyword, `diff` stored as text. */
export function auditIndexTemplate(opts: ShardingOptions): Record<string, unknown> {
  return {
    index_patterns: ['cairn-audit*'],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: opts.replicas },
      mappings: {
        dynamic_templates: dynamicTemplates,
        properties: {
          '@timestamp': { type: 'date' },
          diff: { type: 'text', index: false },
          errors: { type: 'text' },
        },
      },
    },
    _meta: { managed_by: 'cairn', description: 'append-only audit trail' },
  };
}
