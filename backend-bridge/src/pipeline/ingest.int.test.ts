import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord } from '@cairn/contract';
import { Bridge } from '../bridge/bridge.js';
import { loadBridgeConfig } from '../config/files.js';
import { createElasticsearchClient, installIndexTemplates } from '../adapters/elasticsearch/client.js';
import type { OutgoingMessage } from '../adapters/kafka/index.js';
import { generateLines } from '../demo/estate.js';
import { esUrl, kafkaBrokers } from '../stack/index.js';
import {
  countForTopic,
  duplicatesForTopic,
  ensureStack,
  produce,
  readDeadLetters,
  testKafka,
  uniqueName,
  waitFor,
} from '../testing/harness.js';

const es = createElasticsearchClient(esUrl());

beforeAll(async () => {
  await ensureStack();
}, 600_000);

afterAll(async () => {
  await es.close();
});

/** The bad inputs of the foundation issue, each of which must end indexed (flagged) or in the DLQ. */
function badInputs(): OutgoingMessage[] {
  return [
    { key: 'bad-utf8', value: Buffer.concat([Buffer.from('level=error msg="broken '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"')]) },
    { key: 'huge', value: 'E'.repeat(10 * 1024 * 1024) },
    { key: 'deep', value: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) },
    { key: 'wrong-type', value: JSON.stringify({ msg: 'object expected', service: { name: 'wrong-type' }, http: 42, error: 7, trace_id: { x: 1 } }) },
    { key: 'bad-time', value: JSON.stringify({ timestamp: 'the day after tomorrow', msg: 'when?', level: 'info' }) },
    { key: 'empty', value: '' },
    { key: null, value: 'a line on a topic with no service and no key' },
  ];
}

describe('ingest pipeline on real Kafka and Elasticsearch', () => {
  it('indexes 100,000 mixed lines exactly once or dead-letters them, with fields from every format', async () => {
    const topic = uniqueName('it-logs');
    const dir = mkdtempSync(join(tmpdir(), 'cairn-rules-'));
    const rulesFile = join(dir, 'routing.yaml');
    // Operators change mappings: this class has a stricter mapping, so some records are rejected by Elasticsearch.
    writeFileSync(
      rulesFile,
      `rules:\n  - name: conflict-to-strict\n    match: { service: strict-svc }\n    action: route\n    class: itstrict\n  - name: drop-noise\n    match: { service: noisy, level: debug }\n    action: drop\n`
    );
    await installIndexTemplates(es, { shards: 1, replicas: 0 });
    await es.indices.delete({ index: 'cairn-logs-itstrict-*', ignore_unavailable: true, allow_no_indices: true } as never).catch(() => undefined);
    await es.indices.create({
      index: 'cairn-logs-itstrict-000001',
      aliases: { 'cairn-logs-itstrict': { is_write_index: true } },
      mappings: { properties: { labels: { properties: { amount: { type: 'long' } } } } },
    });

    const demo = generateLines(100_000 - 7 - 30 - 20, 42, Date.UTC(2026, 10, 23, 8));
    const messages: OutgoingMessage[] = demo.map((l) => ({ key: l.service, value: l.line }));
    messages.push(...badInputs());
    // 10 accepted and 20 rejected by the strict mapping; 20 dropped by a rule.
    for (let i = 0; i < 30; i++) {
      messages.push({ key: 'strict-svc', value: JSON.stringify({ msg: `payment ${i}`, level: 'info', service: 'strict-svc', amount: i < 10 ? i : `n/a-${i}` }) });
    }
    for (let i = 0; i < 20; i++) messages.push({ key: 'noisy', value: `level=debug service=noisy msg="tick ${i}"` });
    expect(messages).toHaveLength(100_000);

    const kafka = testKafka();
    const config = loadBridgeConfig(undefined, { CAIRN_ES_URL: esUrl(), CAIRN_KAFKA_BROKERS: kafkaBrokers().join(',') });
    config.sources.kafka_logs.topic = topic;
    config.sources.kafka_logs.group_id = uniqueName('it-group');
    config.api.listen_port = 0;
    const bridge = new Bridge({ config, routingFile: rulesFile, log: (m) => process.env.CAIRN_TEST_VERBOSE && process.stderr.write(`[bridge] ${m}\n`) });
    await bridge.start();
    try {
      await produce(kafka, topic, messages);
      const expectedIndexed = 100_000 - 20 - 20;
      await waitFor('all lines indexed', async () => (await countForTopic(es, topic)) >= expectedIndexed, 300_000, 2000);
      const dead = await readDeadLetters(kafka, 'cairn.dlq', topic, 20);
      // Give a late duplicate a chance to show up before counting for the last time.
      await new Promise((r) => setTimeout(r, 2000));
      expect(await countForTopic(es, topic)).toBe(expectedIndexed);
      expect(await duplicatesForTopic(es, topic)).toEqual([]);
      expect(dead).toHaveLength(20);
      for (const d of dead) {
        expect(d.key).toBe('strict-svc');
        expect(d.headers['__connect.errors.stage']).toBe('index');
        expect(d.headers['__connect.errors.exception.message']).toMatch(/mapper_parsing_exception|document_parsing_exception/);
        expect(Number(d.headers['__connect.errors.partition'])).toBeGreaterThanOrEqual(0);
        expect(d.headers['__connect.errors.offset']).toMatch(/^\d+$/);
        expect(JSON.parse(d.value).amount).toMatch(/^n\/a-/);
      }
      expect(bridge.metrics.linesDropped.total()).toBe(20);

      // Samples from every format carry the fields they should.
      const sample = async (query: Record<string, unknown>): Promise<LogRecord> => {
        const r = await es.search<LogRecord>({
          index: 'cairn-logs-*',
          size: 1,
          query: { bool: { filter: [{ term: { 'cairn.source.topic': topic } }, query] } },
        });
        const hit = r.hits.hits[0]?._source;
        if (!hit) throw new Error(`no sample for ${JSON.stringify(query)}`);
        return hit;
      };
      for (const format of ['json', 'logfmt', 'plain', 'access', 'syslog3164'] as const) {
        const r = await sample({ term: { 'cairn.format': format } });
        expect(r.service.name, format).not.toBe('unknown');
        expect(r.trace?.id ?? `missing in ${format}`, format).toMatch(/^[0-9a-f]{32}$/);
        expect(r.log.level, format).toMatch(/^(debug|info|warn|error|fatal)$/);
        expect(Date.parse(r['@timestamp']), format).toBeGreaterThan(Date.UTC(2026, 10, 23));
        expect(r.cairn.source?.topic).toBe(topic);
      }
      const json = await sample({ term: { 'cairn.format': 'json' } });
      expect(json.http?.request?.id).toMatch(/^req-/);
      expect(json.user?.id).toMatch(/^u-/);
      expect(json.service.version).toBeDefined();
      const access = await sample({ term: { 'cairn.format': 'access' } });
      expect(access.http?.response?.status_code).toBeGreaterThanOrEqual(200);
      expect(access.url?.path).toMatch(/^\/api\//);

      // Bad inputs: indexed, repaired and flagged.
      const flagged = async (key: string) => sample({ term: { 'service.name': key } });
      expect((await flagged('bad-utf8')).cairn.repaired).toContain('invalid_utf8');
      const huge = await flagged('huge');
      expect(huge.cairn.repaired).toContain('message_truncated');
      expect(huge.message.length).toBe(256 * 1024);
      expect((await flagged('deep')).cairn.repaired).toContain('json_too_deep');
      expect((await flagged('wrong-type')).cairn.repaired).toContain('field_conflict');
      expect((await flagged('bad-time')).cairn.repaired).toContain('timestamp_unparseable');
      expect((await flagged('empty')).cairn.repaired).toContain('message_empty');
      expect((await sample({ match_phrase: { message: 'a line on a topic with no service' } })).cairn.repaired).toContain('service_unknown');
    } finally {
      await bridge.stop();
    }
  });
});
