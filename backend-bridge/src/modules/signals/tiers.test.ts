import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ALERT_RULES_FILE,
  alertProvisioning,
  grafanaSearchBody,
  renderAlertProvisioning,
  tierQueryModel,
} from './alertRules.js';
import { loadTiers, parseTiers, tierResolver } from './tiers.js';
import { parseDuration, resolveTimeBound } from './time.js';

describe('tiers', () => {
  it('resolves exact names, then globs, then the default tier', () => {
    const tiers = parseTiers(
      'default_tier: standard\ntiers:\n  critical: { score_threshold: 0.999, for_minutes: 2 }\n  standard: { score_threshold: 0.9999, for_minutes: 5 }\nservices:\n  pay-*: critical\n  checkout: critical\n'
    );
    const tierOf = tierResolver(tiers);
    expect(tierOf('checkout')).toBe('critical');
    expect(tierOf('pay-eu')).toBe('critical');
    expect(tierOf('search')).toBe('standard');
  });

  it('rejects unknown tiers and bad thresholds, naming the field', () => {
    expect(() =>
      parseTiers('default_tier: gold\ntiers:\n  standard: { score_threshold: 0.9, for_minutes: 1 }\n')
    ).toThrow(/default_tier: unknown tier "gold"/);
    expect(() => parseTiers('default_tier: a\ntiers:\n  a: { score_threshold: 2, for_minutes: 1 }\n')).toThrow(
      /tiers.a.score_threshold/
    );
  });

  it('the committed alert provisioning file matches config/tiers.yaml (regenerate with alertRules.ts --write)', () => {
    const tiers = loadTiers();
    expect(readFileSync(ALERT_RULES_FILE, 'utf8')).toBe(renderAlertProvisioning(tiers));
    const doc = parse(readFileSync(ALERT_RULES_FILE, 'utf8')) as ReturnType<typeof alertProvisioning> & {
      groups: Array<{
        rules: Array<{
          for: string;
          data: Array<{ model: { conditions?: Array<{ evaluator: { params: number[] } }> } }>;
        }>;
      }>;
    };
    expect(doc.apiVersion).toBe(1);
    const rules = doc.groups[0]?.rules ?? [];
    expect(rules).toHaveLength(Object.keys(tiers.tiers).length);
    const critical = tiers.tiers.critical;
    expect(rules[0]?.for).toBe(`${critical?.for_minutes}m`);
    expect(rules[0]?.data[2]?.model.conditions?.[0]?.evaluator.params[0]).toBe(critical?.score_threshold);
  });

  it('builds the search body Grafana sends: range + query_string, terms → date_histogram → max', () => {
    const body = grafanaSearchBody(tierQueryModel('critical'), 1000, 2000) as {
      query: { bool: { filter: unknown[] } };
      aggs: Record<
        string,
        { terms: { field: string }; aggs: Record<string, { date_histogram: unknown; aggs: Record<string, unknown> }> }
      >;
    };
    expect(body.query.bool.filter[1]).toEqual({ query_string: { analyze_wildcard: true, query: 'tier:"critical"' } });
    expect(body.aggs['2']?.terms.field).toBe('service.name');
    expect(body.aggs['2']?.aggs['3']?.aggs['1']).toEqual({ max: { field: 'score' } });
  });
});

describe('time bounds', () => {
  it('reads ISO, epoch ms, now-math and durations', () => {
    const now = Date.UTC(2024, 0, 1, 12, 30);
    expect(resolveTimeBound('now-15m', now)).toBe(now - 15 * 60_000);
    expect(resolveTimeBound('now/d', now)).toBe(Date.UTC(2024, 0, 1));
    expect(resolveTimeBound('1700000000000', now)).toBe(1_700_000_000_000);
    expect(resolveTimeBound('2024-01-01T00:00:00Z', now)).toBe(Date.UTC(2024, 0, 1));
    expect(resolveTimeBound('yesterday', now)).toBeNaN();
    expect(parseDuration('28d')).toBe(28 * 86_400_000);
    expect(parseDuration('28 days')).toBeNaN();
  });
});
