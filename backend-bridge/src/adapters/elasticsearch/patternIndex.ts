import { errors, type Client } from '@elastic/elasticsearch';
import { LOG_LEVELS, NEW_PATTERN_METRIC, type LogLevel, type PatternInfo } from '@cairn/contract';
import { bulkCreate, ensureWriteAlias, type BulkDoc } from './client.js';

export const TEMPLATES_INDEX = 'cairn-templates';
export const SIGNALS_ALIAS = 'cairn-signals';

/** A `cairn-templates` document: the API's PatternInfo plus fields for sorting. */
export interface TemplateDoc extends PatternInfo {
  levelRank: number;
  updatedAt: string;
}

export function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

/** Mapping of `cairn-templates*`: one document per template ID (merged IDs kept, pointing at their survivor). */
export function templatesIndexTemplate(replicas: number): Record<string, unknown> {
  return {
    index_patterns: [`${TEMPLATES_INDEX}*`],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas, refresh_interval: '1s' },
      mappings: {
        dynamic: false,
        properties: {
          id: { type: 'keyword' },
          pattern: { type: 'text', norms: false, fields: { raw: { type: 'keyword', ignore_above: 4096 } } },
          service: { type: 'keyword' },
          level: { type: 'keyword' },
          levelRank: { type: 'byte' },
          firstSeen: { type: 'date' },
          lastSeen: { type: 'date' },
          count: { type: 'long' },
          aliases: { type: 'keyword' },
          mergedInto: { type: 'keyword' },
          updatedAt: { type: 'date' },
        },
      },
    },
    _meta: { managed_by: 'cairn', description: 'mined log templates: pattern, service, first/last seen, counts' },
  };
}

export async function installTemplatesIndexTemplate(client: Client, replicas: number): Promise<void> {
  await client.indices.putIndexTemplate({ name: TEMPLATES_INDEX, ...templatesIndexTemplate(replicas) } as never);
}

/** Upserts template documents (last writer wins: every instance writes whole documents, no scripts needed). */
export async function writeTemplateDocs(client: Client, infos: PatternInfo[], index = TEMPLATES_INDEX): Promise<void> {
  if (infos.length === 0) return;
  const now = new Date().toISOString();
  const operations: unknown[] = [];
  for (const info of infos) {
    const doc: TemplateDoc = { ...info, levelRank: levelRank(info.level), updatedAt: now };
    operations.push({ index: { _index: index, _id: info.id } }, doc);
  }
  const result = await client.bulk({ operations, filter_path: 'errors,items.*.error' } as never);
  if (result.errors) {
    const first = result.items.find((i) => Object.values(i)[0]?.error)?.index?.error;
    throw new Error(`writing templates failed: ${first?.type ?? 'error'}: ${first?.reason ?? ''}`);
  }
}

export interface NewPatternSignal {
  id: string;
  service: string;
  pattern: string;
  level: LogLevel;
  firstSeen: string;
}

/** The `new_pattern` signal document: one per template, idempotent by ID, scored higher for error levels. */
export function newPatternSignalDoc(s: NewPatternSignal, detectedAt: string): Record<string, unknown> {
  const rank = levelRank(s.level);
  return {
    '@timestamp': s.firstSeen,
    detected_at: detectedAt,
    service: { name: s.service },
    metric: NEW_PATTERN_METRIC,
    value: 1,
    score: rank >= levelRank('error') ? 1 : rank >= levelRank('warn') ? 0.5 : 0.1,
    log: { level: s.level },
    template: { id: s.id, pattern: s.pattern },
  };
}

/** Makes sure `cairn-signals` can be written: a write alias, unless a plain index of that name already exists. */
export async function ensureSignalsTarget(client: Client, alias = SIGNALS_ALIAS): Promise<void> {
  if (await client.indices.exists({ index: alias })) return;
  try {
    await ensureWriteAlias(client, alias);
  } catch (error) {
    if (error instanceof errors.ResponseError && (await client.indices.exists({ index: alias }))) return;
    throw error;
  }
}

export async function writeNewPatternSignals(
  client: Client,
  signals: NewPatternSignal[],
  alias = SIGNALS_ALIAS
): Promise<void> {
  if (signals.length === 0) return;
  const now = new Date().toISOString();
  const docs: BulkDoc[] = signals.map((s) => ({
    index: alias,
    id: `${NEW_PATTERN_METRIC}-${s.id}`,
    json: JSON.stringify(newPatternSignalDoc(s, now)),
  }));
  const outcomes = await bulkCreate(client, docs);
  const failed = outcomes.find((o) => o.kind === 'retry' || o.kind === 'rejected');
  if (failed !== undefined && 'reason' in failed)
    throw new Error(`writing new-pattern signals failed: ${failed.reason}`);
}
