import { describe, expect, it } from 'vitest';
import type { LogLevel, LogRecord } from '@cairn/contract';
import { parseStateEntry, PatternTracker, publicTemplateId, type TemplateStateEntry } from './tracker.js';

let seq = 0;
function rec(service: string, message: string, level: LogLevel = 'info'): LogRecord {
  seq++;
  return {
    '@timestamp': new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    message,
    log: { level },
    service: { name: service },
    labels: {},
    cairn: { format: 'plain', repaired: [] },
  };
}

function mine(
  tracker: PatternTracker,
  service: string,
  message: string,
  level: LogLevel = 'info'
): NonNullable<LogRecord['template']> {
  const r = rec(service, message, level);
  tracker.observe(r);
  if (r.template === undefined) throw new Error('no template set');
  return r.template;
}

/** Round-trips entries through JSON as the Kafka topic does. */
function viaTopic(entries: TemplateStateEntry[]): TemplateStateEntry[] {
  return entries.map((e) => {
    const parsed = parseStateEntry(JSON.stringify(e));
    if (parsed === undefined) throw new Error(`entry did not parse: ${JSON.stringify(e)}`);
    return parsed;
  });
}

describe('PatternTracker', () => {
  it('sets template id, pattern and params on each record, with IDs qualified by service', () => {
    const t = new PatternTracker({ origin: 'a' });
    const x = mine(t, 'api', 'Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6');
    const y = mine(t, 'api', 'Received block blk_7503483334202473044 of size 233 from /10.251.43.21');
    const z = mine(t, 'db', 'Received block blk_7503483334202473044 of size 233 from /10.251.43.21');
    expect(y.id).toBe(x.id);
    expect(y.id).toMatch(/^[0-9a-f]{12}$/);
    expect(y.pattern).toBe('Received block <*> of size <*> from <*>');
    expect(y.params).toEqual(['blk_7503483334202473044', '233', '/10.251.43.21']);
    expect(z.id).not.toBe(y.id);
    expect(z.pattern).toBe(y.pattern);
  });

  it('bounds parameter count and length', () => {
    const t = new PatternTracker({ origin: 'a', maxParams: 2, maxParamLength: 5 });
    const p = mine(t, 's', 'values 1234567890 22 33 44 end');
    expect(p.params?.length).toBeLessThanOrEqual(2);
    for (const v of p.params ?? []) expect(v.length).toBeLessThanOrEqual(5);
  });

  it('drains new and touched templates once, and signals first-seen templates', () => {
    const t = new PatternTracker({ origin: 'a' });
    mine(t, 'api', 'user 1 logged in');
    mine(t, 'api', 'disk failure on /dev/sda1', 'error');
    mine(t, 'api', 'user 2 logged in');
    const first = t.drain();
    expect(first.entries).toHaveLength(2);
    expect(first.newPatterns.map((n) => n.level).sort()).toEqual(['error', 'info']);
    expect(first.entries.every((e) => e.tokens !== undefined && e.origin === 'a')).toBe(true);
    expect(first.entries.find((e) => e.pattern.startsWith('user'))?.count).toBe(2);
    expect(t.drain().entries).toHaveLength(0);
    mine(t, 'api', 'user 3 logged in');
    const second = t.drain();
    expect(second.entries).toHaveLength(1);
    expect(second.entries[0]?.count).toBe(3);
    expect(second.newPatterns).toHaveLength(0);
  });

  it('publishes merges: retired IDs point at the survivor, which lists them as aliases', () => {
    const t = new PatternTracker({ origin: 'a' });
    const before = ['alpha', 'bravo'].map((n) => mine(t, 'w', `worker ${n} started cleanly`).id);
    expect(new Set(before).size).toBe(2);
    t.drain();
    const after = ['delta', 'echo', 'foxtrot'].map((n) => mine(t, 'w', `worker ${n} started cleanly`));
    const last = after[2];
    expect(last?.pattern).toBe('worker <*> started cleanly');
    const { entries, newPatterns } = t.drain();
    const survivor = entries.find((e) => e.mergedInto === undefined && e.pattern === 'worker <*> started cleanly');
    expect(survivor?.id).toBe(last?.id);
    const retired = entries.filter((e) => e.mergedInto !== undefined);
    expect(retired.length).toBeGreaterThanOrEqual(1);
    expect(before.filter((id) => id !== survivor?.id).every((id) => retired.some((r) => r.id === id))).toBe(true);
    for (const r of retired) {
      expect(r.mergedInto).toBe(survivor?.id);
      expect(survivor?.aliases).toContain(r.id);
    }
    // The old templates were signalled already; a generalization of them is not a new pattern.
    expect(newPatterns.filter((n) => n.pattern === 'worker <*> started cleanly')).toHaveLength(0);
  });

  it('a tracker loaded from published entries gives the same lines the same IDs (restart, second instance)', () => {
    const lines = [
      'Invalid user admin from 1.2.3.4',
      'Connection closed by 5.6.7.8 [preauth]',
      'worker alpha started cleanly',
      'worker bravo started cleanly',
      'worker charlie started cleanly',
      'worker delta started cleanly',
      'worker echo started cleanly',
      'Failed password for root from 1.1.1.1 port 22 ssh2',
    ];
    const a = new PatternTracker({ origin: 'a' });
    const ids = lines.map((l) => mine(a, 'sshd', l).id);
    const published = viaTopic(a.drain().entries);
    const b = new PatternTracker({ origin: 'b' });
    expect(b.load(published)).toBe(published.length);
    const again = lines.map((l) => mine(b, 'sshd', l).id);
    // Lines whose template was merged now resolve to the survivor, as in `a` after the merge.
    const nowInA = lines.map((l) => mine(a, 'sshd', l).id);
    expect(again).toEqual(nowInA);
    expect(again[0]).toBe(ids[0]);
    expect(again[1]).toBe(ids[1]);
    expect(b.drain().newPatterns).toHaveLength(0);
    // An instance ignores its own echoes.
    expect(a.load(published)).toBe(0);
  });

  it('follows another instance: its merges retire local templates', () => {
    const a = new PatternTracker({ origin: 'a' });
    const b = new PatternTracker({ origin: 'b' });
    for (const n of ['alpha', 'bravo']) mine(b, 'w', `job ${n} done in time`);
    b.drain();
    for (const n of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) mine(a, 'w', `job ${n} done in time`);
    const survivor = mine(a, 'w', 'job zulu done in time');
    expect(survivor.pattern).toBe('job <*> done in time');
    b.load(viaTopic(a.drain().entries));
    expect(mine(b, 'w', 'job alpha done in time').id).toBe(survivor.id);
    expect(mine(b, 'w', 'job yankee done in time').id).toBe(survivor.id);
  });

  it('rejects malformed state entries', () => {
    expect(parseStateEntry('not json')).toBeUndefined();
    expect(parseStateEntry('{"v":2}')).toBeUndefined();
    expect(
      parseStateEntry(JSON.stringify({ v: 1, id: 'x', service: 's', minerId: 'm', origin: 'o', pattern: 'p' }))
    ).toBeUndefined();
    expect(publicTemplateId('a', '0123456789ab')).not.toBe(publicTemplateId('b', '0123456789ab'));
  });
});
