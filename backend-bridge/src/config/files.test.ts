import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeLine } from '../domain/normalize/index.js';
import { routeRecord } from '../domain/routing/index.js';
import { ConfigFileError, loadBridgeConfig, parseRoutingText, RoutingRules } from './files.js';

describe('routing rules files', () => {
  it('names the line and path of a bad value', () => {
    const text = 'rules:\n  - name: ok\n    match: { service: a }\n    action: drop\n  - name: bad\n    match: { level: loud }\n    action: sample\n    rate: 3\n';
    expect(() => parseRoutingText(text, 'r.yaml')).toThrow(ConfigFileError);
    try {
      parseRoutingText(text, 'r.yaml');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/r\.yaml:6: rules\.1\.match\.level/);
      expect(message).toMatch(/r\.yaml:8: rules\.1\.rate/);
    }
  });

  it('refuses an invalid regular expression, naming the rule', () => {
    expect(() => parseRoutingText('rules:\n  - name: re\n    match: { pattern: "a(" }\n    action: drop\n', 'r.yaml')).toThrow(/rules\.0: rule "re": invalid pattern/);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseRoutingText('rules:\n  - name: x\n   bad: [\n', 'r.yaml')).toThrow(/r\.yaml:\d+/);
  });

  it('hot reload keeps the last good rules when the new file is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-routing-'));
    const file = join(dir, 'routing.yaml');
    writeFileSync(file, 'rules:\n  - name: drop-a\n    match: { service: a }\n    action: drop\n');
    const logs: string[] = [];
    const rules = new RoutingRules(file, (m) => logs.push(m));
    const record = normalizeLine('hello', { key: 'a' });
    expect(routeRecord(rules.get(), record, 'x:0:1').action).toBe('drop');

    writeFileSync(file, 'rules:\n  - name: route-a\n    match: { service: a }\n    action: route\n    class: audit\n');
    expect(rules.reload()).toBe(true);
    expect(routeRecord(rules.get(), record, 'x:0:1')).toEqual({ action: 'keep', retentionClass: 'audit', rule: 'route-a' });

    writeFileSync(file, 'rules:\n  - name: broken\n    action: explode\n');
    expect(rules.reload()).toBe(false);
    expect(logs.at(-1)).toMatch(/NOT reloaded/);
    expect(routeRecord(rules.get(), record, 'x:0:1')).toEqual({ action: 'keep', retentionClass: 'audit', rule: 'route-a' });
  });
});

describe('bridge config', () => {
  it('fills defaults and applies environment overrides', () => {
    const config = loadBridgeConfig(undefined, { CAIRN_ES_URL: 'http://es:9200', CAIRN_KAFKA_BROKERS: 'k1:9092, k2:9092' });
    expect(config.sinks.es_logs.url).toBe('http://es:9200');
    expect(config.sources.kafka_logs.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.sources.kafka_logs.topic).toBe('cairn.logs');
    expect(config.sinks.es_logs.flush_docs).toBe(5000);
  });

  it('refuses unknown keys and bad values with their line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-config-'));
    const file = join(dir, 'bridge.yaml');
    writeFileSync(file, 'sinks:\n  es_logs:\n    flush_docs: -5\n    flush_bites: 10\n');
    expect(() => loadBridgeConfig(file, {})).toThrow(/bridge\.yaml:3: sinks\.es_logs\.flush_docs/);
  });
});
