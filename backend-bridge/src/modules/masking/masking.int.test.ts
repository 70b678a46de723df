import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bridge } from '../../bridge/bridge.js';
import { loadBridgeConfig } from '../../config/files.js';
import { createElasticsearchClient, installIndexTemplates } from '../../adapters/elasticsearch/client.js';
import { esUrl, kafkaBrokers } from '../../stack/index.js';
import { countForTopic, produce, readDeadLetters, testKafka, uniqueName, waitFor } from '../../testing/harness.js';
import { AUDIT_INDEX, maskingModule } from './index.js';

const es = createElasticsearchClient(esUrl());
afterAll(async () => {
  await es.close();
});

// Valid-looking secrets of several kinds (test values, not real credentials).
const SECRETS = {
  card: '4111 1111 1111 1111',
  email: 'jane.doe@example.org',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  password: 'hunter2-Sup3r-S3cret!',
  bearer: 'Bearer abcdef0123456789abcdef0123456789',
};

describe('masking on the real stack', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-mask-'));
  });

  it('lets no raw secret reach Elasticsearch or the dead-letter topic, and audits policy changes', async () => {
    const topic = uniqueName('it-mask');
    const rules = join(dir, 'routing.yaml');
    writeFileSync(rules, 'rules:\n  - name: strict\n    match: { service: mask-strict }\n    action: route\n    class: itmaskstrict\n');
    await installIndexTemplates(es, { shards: 1, replicas: 0 });
    await es.indices.delete({ index: 'cairn-logs-itmaskstrict-*', ignore_unavailable: true, allow_no_indices: true } as never).catch(() => undefined);
    await es.indices.create({
      index: 'cairn-logs-itmaskstrict-000001',
      aliases: { 'cairn-logs-itmaskstrict': { is_write_index: true } },
      mappings: { properties: { labels: { properties: { amount: { type: 'long' } } } } },
    });
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\ndefault:\n  rules:\n    email: { action: redact }\n');
    const config = loadBridgeConfig(undefined, { CAIRN_ES_URL: esUrl(), CAIRN_KAFKA_BROKERS: kafkaBrokers().join(',') });
    config.sources.kafka_logs.topic = topic;
    config.sources.kafka_logs.group_id = uniqueName('it-mask-group');
    config.api.listen_port = 0;
    const actor = uniqueName('auditor');
    const bridge = new Bridge({ config, routingFile: rules, modules: [maskingModule({ policyFile: policy, actor, pollIntervalMs: 200 })], log: () => undefined });
    await bridge.start();
    try {
      const lines = [
        { key: 'mask-json', value: JSON.stringify({ level: 'info', msg: `payment with card ${SECRETS.card} for ${SECRETS.email}`, password: SECRETS.password }) },
        { key: 'mask-logfmt', value: `level=warn msg="aws key used" key=${SECRETS.aws} authorization="${SECRETS.bearer}"` },
        { key: 'mask-plain', value: `2026-11-25T10:00:00Z ERROR token rejected: ${SECRETS.jwt}` },
        // Rejected by the strict mapping, so it goes to the DLQ: its raw line must be masked there too.
        { key: 'mask-strict', value: JSON.stringify({ level: 'info', service: 'mask-strict', amount: 'n/a', msg: `refund to ${SECRETS.email} card ${SECRETS.card}` }) },
      ];
      await produce(testKafka(), topic, lines);
      await waitFor('3 documents', async () => (await countForTopic(es, topic)) >= 3, 120_000);
      const dead = await readDeadLetters(testKafka(), 'cairn.dlq', topic, 1);
      expect(dead).toHaveLength(1);

      const docs = await es.search({ index: 'cairn-logs-*', size: 10, query: { term: { 'cairn.source.topic': topic } } });
      const stored = JSON.stringify(docs.hits.hits.map((h) => h._source));
      const dlq = JSON.stringify(dead);
      for (const [kind, secret] of Object.entries(SECRETS)) {
        const core = kind === 'bearer' ? secret.slice(7) : secret;
        expect(stored.includes(core), `${kind} in Elasticsearch`).toBe(false);
        expect(dlq.includes(core), `${kind} in the DLQ`).toBe(false);
      }
      expect(stored).toContain('[REDACTED:');
      const masked = docs.hits.hits.map((h) => (h._source as { cairn: { masked?: Record<string, number> } }).cairn.masked ?? {});
      expect(masked.some((m) => Object.keys(m).length > 0)).toBe(true);
      const metrics = bridge.metrics.registry.render();
      expect(metrics).toMatch(/cairn_masking_hits_total\{rule="[a-z_]+"\} [1-9]/);

      // A bad edit is refused and audited; a good one is accepted and audited with its diff.
      writeFileSync(policy, 'version: 1\ndefault:\n  rules:\n    email: { action: explode }\n');
      await waitFor('refused change audited', async () => {
        await es.indices.refresh({ index: AUDIT_INDEX });
        const r = await es.count({ index: AUDIT_INDEX, query: { bool: { filter: [{ term: { 'user.name': actor } }, { term: { 'event.outcome': 'refused' } }] } } });
        return r.count === 1;
      }, 30_000);
      writeFileSync(policy, 'version: 1\ndefault:\n  rules:\n    email: { action: partial }\n');
      await waitFor('accepted change audited', async () => {
        await es.indices.refresh({ index: AUDIT_INDEX });
        const r = await es.search<{ diff: string }>({
          index: AUDIT_INDEX,
          query: { bool: { filter: [{ term: { 'user.name': actor } }, { term: { 'event.action': 'masking_policy_reload' } }, { term: { 'event.outcome': 'accepted' } }] } },
        });
        return (r.hits.hits[0]?._source?.diff ?? '').includes('+    email: { action: partial }');
      }, 30_000);
    } finally {
      await bridge.stop();
    }
  });
});
