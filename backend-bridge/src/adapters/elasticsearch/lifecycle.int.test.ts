import { afterAll, describe, expect, it } from 'vitest';
import { esUrl } from '../../stack/index.js';
import { uniqueName } from '../../testing/harness.js';
import { bulkCreate, createElasticsearchClient, ensureWriteAlias, installIndexTemplates, rolloverIfNeeded } from './client.js';

const es = createElasticsearchClient(esUrl());
afterAll(async () => {
  await es.close();
});

describe('index templates, write aliases and rollover on real Elasticsearch', () => {
  it('creates a write alias with Cairn mappings, answers 409 on replays, and rolls over on a condition', async () => {
    await installIndexTemplates(es, { shards: 1, replicas: 0 });
    const alias = `cairn-logs-${uniqueName('itroll').replace(/-/g, '_')}`;
    await ensureWriteAlias(es, alias);
    await ensureWriteAlias(es, alias); // idempotent
    const doc = { '@timestamp': new Date().toISOString(), message: 'hello world', log: { level: 'info' }, service: { name: 's' }, labels: { region: 'eu' }, cairn: { format: 'plain', repaired: [] } };
    const first = await bulkCreate(es, [{ index: alias, id: 'x:0:1', json: JSON.stringify(doc) }]);
    const replay = await bulkCreate(es, [{ index: alias, id: 'x:0:1', json: JSON.stringify(doc) }]);
    expect(first).toEqual([{ kind: 'created' }]);
    expect(replay).toEqual([{ kind: 'duplicate' }]);

    const mapping = await es.indices.getMapping({ index: `${alias}-000001` });
    const props = (Object.values(mapping)[0]?.mappings.properties ?? {}) as Record<string, { type?: string; properties?: Record<string, { type?: string }> }>;
    expect(props.message?.type).toBe('text');
    expect(props.labels?.properties?.region?.type).toBe('keyword');
    expect(props.service?.properties?.name?.type).toBe('keyword');

    expect(await rolloverIfNeeded(es, alias, { maxAge: '365d', maxPrimaryShardSize: '50gb' })).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await rolloverIfNeeded(es, alias, { maxAge: '1s', maxPrimaryShardSize: '50gb' })).toBe(true);
    const aliases = await es.indices.getAlias({ name: alias });
    const writeIndex = Object.entries(aliases).find(([, v]) => v.aliases[alias]?.is_write_index)?.[0];
    expect(writeIndex).toBe(`${alias}-000002`);
    await es.indices.delete({ index: `${alias}-*` });
  });
});
