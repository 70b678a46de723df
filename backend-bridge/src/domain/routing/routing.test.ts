import { describe, expect, it } from 'vitest';
import { routingConfigSchema } from '@cairn/contract';
import { normalizeLine } from '../normalize/index.js';
import { compileRouting, routeRecord, stableFraction } from './index.js';

const routing = compileRouting(
  routingConfigSchema.parse({
    rules: [
      { name: 'drop-debug-search', match: { service: 'search', level: 'debug' }, action: 'drop' },
      { name: 'sample-health', match: { pattern: 'GET /healthz' }, action: 'sample', rate: 0.1 },
      { name: 'audit', match: { service: 'auth*', pattern: 'login' }, action: 'route', class: 'audit' },
    ],
  })
);

describe('routeRecord', () => {
  it('drops by service and level, routes by glob and pattern, and defaults by level', () => {
    expect(routeRecord(routing, normalizeLine('level=debug msg="x" service=search'), 'a').action).toBe('drop');
    expect(routeRecord(routing, normalizeLine('level=info msg="x" service=search'), 'a')).toEqual({ action: 'keep', retentionClass: 'default' });
    expect(routeRecord(routing, normalizeLine('level=info msg="user login ok" service=auth-eu'), 'a')).toEqual({
      action: 'keep',
      retentionClass: 'audit',
      rule: 'audit',
    });
    expect(routeRecord(routing, normalizeLine('level=error msg="boom" service=cart'), 'a')).toEqual({ action: 'keep', retentionClass: 'error' });
  });

  it('samples at the configured rate, deterministically per document ID', () => {
    const record = normalizeLine('level=info msg="GET /healthz 200" service=edge');
    let kept = 0;
    for (let i = 0; i < 20_000; i++) if (routeRecord(routing, record, `t:0:${i}`).action === 'keep') kept++;
    expect(kept / 20_000).toBeGreaterThan(0.09);
    expect(kept / 20_000).toBeLessThan(0.11);
    expect(routeRecord(routing, record, 't:0:7')).toEqual(routeRecord(routing, record, 't:0:7'));
    expect(stableFraction('t:0:7')).toBe(stableFraction('t:0:7'));
  });
});
