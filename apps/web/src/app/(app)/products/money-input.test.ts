import { describe, expect, it } from 'vitest';

import { criticalRatio, formatMoneyInput, parseMoneyInput, priceRuleErrors } from './money-input';

describe('parseMoneyInput', () => {
  it('reads dollars and cents into minor units', () => {
    expect(parseMoneyInput('4.50')).toBe(450);
    expect(parseMoneyInput('$4.5')).toBe(450);
    expect(parseMoneyInput(' 12 ')).toBe(1200);
    expect(parseMoneyInput('0.05')).toBe(5);
    expect(parseMoneyInput('1,030.00')).toBe(103000);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '-1', '4.505', '1e3', '4..5']) {
      expect(parseMoneyInput(bad)).toBeNull();
    }
  });

  it('formats back for the input', () => {
    expect(formatMoneyInput(450)).toBe('4.50');
    expect(formatMoneyInput(0)).toBe('0.00');
  });
});

describe('criticalRatio', () => {
  it('is (price − cost) / (price − salvage), clamped to 0..1', () => {
    expect(criticalRatio(900, 250, 100)).toBeCloseTo(650 / 800);
    expect(criticalRatio(500, 600, 0)).toBe(0);
    expect(criticalRatio(500, 100, 500)).toBeNull();
  });
});

describe('priceRuleErrors', () => {
  it('asks for a missing price before the leftover value (an import without prices)', () => {
    expect(priceRuleErrors({ priceMinor: 0, salvageValueMinor: 0 })).toEqual({
      priceMinor: 'Enter the price you sell it for',
    });
  });

  it('wants the leftover value below the price, and nothing more', () => {
    expect(priceRuleErrors({ priceMinor: 400, salvageValueMinor: 400 })).toEqual({
      salvageValueMinor: 'Must be below the price',
    });
    expect(priceRuleErrors({ priceMinor: 400, salvageValueMinor: 100 })).toEqual({});
  });
});
