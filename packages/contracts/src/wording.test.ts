import { describe, expect, it } from 'vitest';
import { expectedRevenueWords, noneHasPrice } from './wording';

const priced = { priced: true };
const unpriced = { priced: false };

describe('noneHasPrice', () => {
  it('holds only when there are products and none has a price', () => {
    expect(noneHasPrice([unpriced, unpriced])).toBe(true);
    expect(noneHasPrice([unpriced, priced])).toBe(false);
    expect(noneHasPrice([priced])).toBe(false);
    expect(noneHasPrice([])).toBe(false);
  });
});

describe('expectedRevenueWords', () => {
  it('is the money when every product has a price (or there are none)', () => {
    expect(expectedRevenueWords('$197.75', [priced, priced])).toBe('$197.75');
    expect(expectedRevenueWords('$0.00', [])).toBe('$0.00');
    // A priced product that is expected to earn nothing still earns a real $0.00.
    expect(expectedRevenueWords('$0.00', [priced])).toBe('$0.00');
  });

  it('says "no prices yet", not "$0.00", when no product has a price', () => {
    expect(expectedRevenueWords('$0.00', [unpriced, unpriced])).toBe('no prices yet');
  });

  it('counts the products left out when only some have a price', () => {
    expect(expectedRevenueWords('$48.00', [priced, unpriced])).toBe(
      '$48.00 (1 product has no price yet)',
    );
    expect(expectedRevenueWords('$48.00', [unpriced, priced, unpriced])).toBe(
      '$48.00 (2 products have no price yet)',
    );
  });
});
