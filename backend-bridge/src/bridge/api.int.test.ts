import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, LogSearchResponse, ServicesResponse } from '@cairn/contract';
import { createElasticsearchClient } from '../adapters/elasticsearch/client.js';
import { loadBridgeConfig } from '../config/files.js';
import { esUrl, kafkaBrokers } from '../stack/index.js';
import { countForTopic, produce, testKafka, uniqueName, waitFor } from '../testing/harness.js';
import { Bridge } from './bridge.js';

const es = createElasticsearchClient(esUrl());
const topic = uniqueName('it-api');
const service = uniqueName('api-svc');
let bridge: Bridge;
let base = '';
const token = 'test-token';
const auth = { authorization: `Bearer ${token}` };

beforeAll(async () => {
  const config = loadBridgeConfig(undefined, { CAIRN_ES_URL: esUrl(), CAIRN_KAFKA_BROKERS: kafkaBrokers().join(',') });
  config.sources.kafka_logs.topic = topic;
  config.sources.kafka_logs.group_id = uniqueName('it-api-group');
  config.api.listen_port = 0;
  bridge = new Bridge({ config, token, log: () => undefined });
  const { port } = await bridge.start();
  base = `http://127.0.0.1:${port}`;
  const now = Date.now();
  await produce(
    testKafka(),
    topic,
    Array.from({ length: 50 }, (_, i) => ({
      key: service,
      value: JSON.stringify({ '@timestamp': new Date(now - i * 1000).toISOString(), level: i % 10 === 0 ? 'error' : 'info', msg: `checkout step ${i} done` }),
    }))
  );
  await waitFor('50 documents', async () => (await countForTopic(es, topic)) >= 50, 120_000);
}, 300_000);

afterAll(async () => {
  await bridge.stop();
  await es.close();
});

describe('bridge HTTP API on real Elasticsearch', () => {
  it('reports health and Prometheus metrics', async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as HealthResponse;
    expect(health.status).toBe('ok');
    expect(health.elasticsearch).toBe('ok');
    expect(health.consumer.running).toBe(true);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('# TYPE cairn_lines_in_total counter');
    expect(metrics).toContain(`cairn_lines_indexed_total{service="${service}"} 50`);
    expect(metrics).toMatch(/cairn_bulk_latency_seconds_count \d+/);
    expect(metrics).toContain('cairn_records_repaired_total{repair="service_from_key"} 50');
  });

  it('searches logs by service, level and text, newest first', async () => {
    const r = await fetch(`${base}/api/v1/logs/search?service=${service}&level=error&from=now-1h&limit=100`, { headers: auth });
    expect(r.status).toBe(200);
    const body = (await r.json()) as LogSearchResponse;
    expect(body.total).toBe(5);
    expect(body.hits.every((h) => h.record.log.level === 'error' && h.record.service.name === service)).toBe(true);
    const times = body.hits.map((h) => Date.parse(h.record['@timestamp']));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const text = (await (await fetch(`${base}/api/v1/logs/search?service=${service}&query=step%2042&from=now-1h`, { headers: auth })).json()) as LogSearchResponse;
    expect(text.hits.map((h) => h.record.message)).toContain('checkout step 42 done');
  });

  it('lists services with counts and errors', async () => {
    const body = (await (await fetch(`${base}/api/v1/services?from=now-1h`, { headers: auth })).json()) as ServicesResponse;
    expect(body.services.find((s) => s.name === service)).toEqual({ name: service, count: 50, errors: 5 });
  });

  it('validates input and names the bad field; requires the token', async () => {
    const bad = await fetch(`${base}/api/v1/logs/search?limit=abc&level=loud`, { headers: auth });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; details: Array<{ path: string }> };
    expect(body.details.map((d) => d.path).sort()).toEqual(['level', 'limit']);
    expect((await fetch(`${base}/api/v1/services`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/nope`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
  });
});
