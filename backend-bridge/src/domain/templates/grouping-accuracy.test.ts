import { describe, expect, it } from 'vitest';
import { groupingAccuracy } from './grouping-accuracy.js';

describe('groupingAccuracy', () => {
  it('counts a line only when its predicted group equals its true group', () => {
    expect(groupingAccuracy(['a', 'a', 'b', 'c'], ['x', 'x', 'y', 'y'])).toBe(0.5);
    expect(groupingAccuracy(['a', 'a', 'a'], ['x', 'x', 'y'])).toBe(0);
    expect(groupingAccuracy(['p', 'q', 'p'], ['x', 'y', 'x'])).toBe(1);
  });
  it('rejects inputs of different lengths', () => {
    expect(() => groupingAccuracy(['a'], [])).toThrow();
  });
});
