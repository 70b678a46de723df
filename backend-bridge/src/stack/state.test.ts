import { describe, expect, it } from 'vitest';
import { parseState, pruneState, serializeState, type StackState } from './state.js';

const es = { pid: 100, port: 9200, startedAt: '2025-01-01T00:00:00Z', logFile: '/x/es.out' };
const kafka = { ...es, pid: 200, port: 9092, controllerPort: 9093, clusterId: 'abc' };

describe('parseState', () => {
  it('round-trips what serializeState writes', () => {
    const state: StackState = { elasticsearch: es, kafka };
    expect(parseState(serializeState(state))).toEqual(state);
  });

  it('treats missing, empty or corrupt files as nothing running', () => {
    expect(parseState(undefined)).toEqual({});
    expect(parseState('')).toEqual({});
    expect(parseState('{not json')).toEqual({});
    expect(parseState('42')).toEqual({});
  });

  it('keeps a valid entry when the other one is malformed', () => {
    const parsed = parseState(JSON.stringify({ elasticsearch: { pid: 'x' }, kafka }));
    expect(parsed).toEqual({ kafka });
  });
});

describe('pruneState', () => {
  it('drops entries whose pid is no longer alive (stale state file)', () => {
    const alive = new Set([200]);
    expect(pruneState({ elasticsearch: es, kafka }, (pid) => alive.has(pid))).toEqual({ kafka });
  });
});
