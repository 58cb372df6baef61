import { describe, expect, it } from 'vitest';
import { describeShelfLife } from './shelf-life';

describe('describeShelfLife', () => {
  it('says how long a product sells, or nothing when it is not set', () => {
    expect(describeShelfLife(null)).toBeNull();
    expect(describeShelfLife(1)).toBe('sells the day it is made');
    expect(describeShelfLife(2)).toBe('keeps 2 days');
    expect(describeShelfLife(365)).toBe('keeps 365 days');
  });
});
