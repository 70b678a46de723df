import { Client, errors } from '@elastic/elasticsearch';
import {
  auditIndexTemplate,
  firstBackingIndex,
  logsIndexTemplate,
  signalsIndexTemplate,
  spansIndexTemplate,
  type ShardingOptions,
} from './templates.js';

export { logsAlias } from './templates.js';

/** One document to write with `create`: the ID makes any replay idempotent. */
export interface BulkDoc {
  index: string;
  id: string;
  /** The document, already serialized: the bridge serializes once and measures bytes from it. */
  json: string;
}

export type BulkItemOutcome =
  | { kind: 'created' }
  | { kind: 'duplicate' }
  | { kind: 'retry'; status: number; reason: string }
  | { kind: 'rejected'; status: number; reason: string };

/** Elasticsearch is unreachable or answered the whole request with an error: retry the batch. */
export class ElasticsearchUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message);
  }
}

export function createElasticsearchClient(url: string): Client {
  return new Client({
    node: url,
    // The bridge owns retries (with backoff and a bound on in-flight bytes); the client must not add its own.
    maxRetries: 0,
    requestTimeout: 60_000,
    compression: false,
  });
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
    const cause = e.caused_by ? ` (caused by ${e.caused_by.type ?? ''}: ${e.caused_by.reason ?? ''})` : '';
    return `${e.type ?? 'error'}: ${e.reason ?? ''}${cause}`.slice(0, 2000);
  }
  return String(error).slice(0, 2000);
}

/**
 * Writes documents with `create` and reports each item's outcome. 409 (already indexed under that ID)
 * is a success for at-least-once delivery; 429/5xx items are retryable; others are rejections that belong
 * in the dead-letter topic. The bulk helper of the client would report 409s as drops, hence this.
 */
export async function bulkCreate(client: Client, docs: BulkDoc[], signal?: AbortSignal): Promise<BulkItemOutcome[]> {
  const parts: string[] = new Array<string>(docs.length * 2);
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (!d) continue;
    parts[2 * i] = `{"create":{"_index":${JSON.stringify(d.index)},"_id":${JSON.stringify(d.id)}}}`;
    parts[2 * i + 1] = d.json;
  }
  const body = parts.join('\n') + '\n';
  let response: {
    errors: boolean;
    items?: Array<Record<string, { status: number; error?: unknown }>>;
  };
  try {
    response = (await client.transport.request(
      {
        method: 'POST',
        path: '/_bulk',
        querystring: { filter_path: 'errors,items.*.status,items.*.error' },
        bulkBody: body,
      },
      { signal }
    )) as typeof response;
  } catch (error) {
    throw toUnavailable(error);
  }
  const outcomes: BulkItemOutcome[] = new Array<BulkItemOutcome>(docs.length);
  if (!response.errors) {
    outcomes.fill({ kind: 'created' });
    return outcomes;
  }
  const items = response.items ?? [];
  for (let i = 0; i < docs.length; i++) {
    const item = items[i];
    const result = item ? (item.create ?? Object.values(item)[0]) : undefined;
    if (!result) {
      outcomes[i] = { kind: 'retry', status: 0, reason: 'no item result in bulk response' };
    } else if (result.status < 300) {
      outcomes[i] = { kind: 'created' };
    } else if (result.status === 409) {
      outcomes[i] = { kind: 'duplicate' };
    } else if (RETRYABLE.has(result.status)) {
      outcomes[i] = { kind: 'retry', status: result.status, reason: describeError(result.error) };
    } else {
      outcomes[i] = { kind: 'rejected', status: result.status, reason: describeError(result.error) };
    }
  }
  return outcomes;
}

function toUnavailable(error: unknown): Error {
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    // 413: the whole request is too big; the caller splits it.
    return new ElasticsearchUnavailableError(`Elasticsearch answered ${status}: ${error.message}`, status);
  }
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
    return new ElasticsearchUnavailableError(`Elasticsearch unreachable: ${error.message}`);
  }
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new ElasticsearchUnavailableError(`Elasticsearch request failed: ${String(error)}`);
}

/** Installs Cairn's index templates (idempotent: PUT replaces). */
export async function installIndexTemplates(client: Client, sharding: ShardingOptions): Promise<void> {
  await client.indices.putIndexTemplate({ name: 'cairn-logs', ...logsIndexTemplate(sharding) } as never);
  await client.indices.putIndexTemplate({ name: 'cairn-spans', ...spansIndexTemplate(sharding) } as never);
  await client.indices.putIndexTemplate({ name: 'cairn-signals', ...signalsIndexTemplate(sharding) } as never);
  await client.indices.putIndexTemplate({ name: 'cairn-audit', ...auditIndexTemplate(sharding) } as never);
}

/** Creates the first backing index with the write alias if the alias does not exist yet. */
export async function ensureWriteAlias(client: Client, alias: string): Promise<void> {
  if (await client.indices.existsAlias({ name: alias })) return;
  try {
    await client.indices.create({
      index: firstBackingIndex(alias),
      aliases: { [alias]: { is_write_index: true } },
    });
  } catch (error) {
    // Another bridge instance won the race: fine as long as the alias now exists.
    if (error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception') return;
    throw error;
  }
}

export interface RolloverConditions {
  maxAge: string;
  maxPrimaryShardSize: string;
}

/** Rolls the alias over to a new backing index when a condition is met (core API, no ILM needed). */
export async function rolloverIfNeeded(client: Client, alias: string, conditions: RolloverConditions): Promise<boolean> {
  const result = await client.indices.rollover({
    alias,
    conditions: { max_age: conditions.maxAge, max_primary_shard_size: conditions.maxPrimaryShardSize },
  } as never);
  return Boolean((result as { rolled_over?: boolean }).rolled_over);
}

export async function elasticsearchIsUp(client: Client): Promise<boolean> {
  try {
    const health = await client.cluster.health({ timeout: '2s' });
    return health.status !== 'red';
  } catch {
    return false;
  }
}
