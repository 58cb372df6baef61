import { describe, expect, it } from 'vitest';

import { hasVerdict } from './go-no-go';

describe('hasVerdict', () => {
  it('calls a market day only with a revenue to weigh against the booth fee', () => {
    expect(hasVerdict({ basis: 'recommendation' })).toBe(true);
    expect(hasVerdict({ basis: 'history' })).toBe(true);
    expect(hasVerdict({ basis: 'unpriced' })).toBe(false);
    expect(hasVerdict({ basis: 'none' })).toBe(false);
  });
});
