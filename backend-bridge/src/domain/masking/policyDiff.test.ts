import { describe, expect, it } from 'vitest';
import { lineDiff } from './policyDiff.js';

describe('lineDiff', () => {
  it('lists removed and added lines only', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toBe('+x\n-b\n+d');
    expect(lineDiff('', 'a\nb')).toBe('+a\n+b');
    expect(lineDiff('same', 'same')).toBe('');
  });
});
