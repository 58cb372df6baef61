import type { PrepList, PrepListLine } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import {
  coverageWords,
  lineRevenueWords,
  listRevenueWords,
  printedTotalWords,
  withPricedDefaults,
} from './pricing';

function line(productName: string, over: Partial<PrepListLine> = {}): PrepListLine {
  return {
    productId: productName.toLowerCase(),
    productName,
    unit: 'each',
    q10: 1,
    q50: 2,
    q90: 3,
    criticalRatio: 0.5,
    recommendedQuantity: 3,
    overrideQuantity: null,
    effectiveQuantity: 3,
    expectedSold: 2,
    expectedRevenueMinor: 1000,
    priced: true,
    costed: true,
    modelRung: 'pooled',
    dataSufficiency: 'rich',
    availability: {
      inSeason: true,
      source: 'learned',
      lastSoldOn: null,
      usualMonths: [],
      note: null,
    },
    explanation: { baseline: 2, baselineSupport: 1, effects: [], summary: '' },
    ...over,
  };
}

const unpriced = (name: string, over: Partial<PrepListLine> = {}) =>
  line(name, { expectedRevenueMinor: 0, priced: false, ...over });

const outOfSeason: Partial<PrepListLine> = {
  modelRung: 'out-of-season',
  effectiveQuantity: 0,
  expectedSold: 0,
  expectedRevenueMinor: 0,
  availability: {
    inSeason: false,
    source: 'learned',
    lastSoldOn: null,
    usualMonths: [],
    note: null,
  },
};

const listOf = (lines: PrepListLine[], expectedRevenueMinor: number) => ({
  lines,
  currency: 'USD',
  totals: { effectiveQuantity: 6, expectedRevenueMinor },
});

describe('lineRevenueWords', () => {
  it("reads the line's priced flag, not its revenue", () => {
    expect(lineRevenueWords(line('Bread'), 'USD')).toBe('$10.00');
    expect(lineRevenueWords(unpriced('Jam'), 'USD')).toBe('no price yet');
    // A priced product expected to sell nothing (left at home) earns a real $0.00...
    expect(
      lineRevenueWords(line('Bread', { expectedSold: 0, expectedRevenueMinor: 0 }), 'USD'),
    ).toBe('$0.00');
    // ...and one without a price is "no price yet" even when nothing is expected to sell.
    expect(lineRevenueWords(unpriced('Jam', { expectedSold: 0 }), 'USD')).toBe('no price yet');
  });
});

describe('listRevenueWords', () => {
  it('is the money when every line the totals add up has a price', () => {
    expect(listRevenueWords(listOf([line('Bread'), line('Rye')], 2000))).toBe('$20.00');
    expect(listRevenueWords(listOf([line('Bread', { expectedRevenueMinor: 0 })], 0))).toBe('$0.00');
  });

  it('is null ("no prices yet") when none of those lines has a price', () => {
    expect(listRevenueWords(listOf([unpriced('Jam'), unpriced('Honey')], 0))).toBeNull();
    // An out-of-season line with a price is not on the list's totals: it does not count.
    expect(
      listRevenueWords(listOf([unpriced('Jam'), line('Strawberries', outOfSeason)], 0)),
    ).toBeNull();
  });

  it('counts the lines without a price when only some have one', () => {
    expect(listRevenueWords(listOf([line('Bread'), unpriced('Jam')], 1000))).toBe(
      '$10.00 (1 product has no price yet)',
    );
    // Out of season and not brought: not counted, priced or not.
    expect(listRevenueWords(listOf([line('Bread'), unpriced('Kale', outOfSeason)], 1000))).toBe(
      '$10.00',
    );
  });
});

describe('printedTotalWords', () => {
  it('says the total, its revenue and the key to quantities set by hand only when there is one', () => {
    expect(printedTotalWords(listOf([line('Bread')], 1000))).toBe(
      'Total 6 to bring · expected $10.00',
    );
    expect(printedTotalWords(listOf([unpriced('Jam')], 0))).toBe(
      'Total 6 to bring · no prices yet',
    );
    expect(printedTotalWords(listOf([line('Bread', { overrideQuantity: 6 })], 1000))).toBe(
      'Total 6 to bring · expected $10.00 · * set by hand',
    );
  });
});

describe('withPricedDefaults', () => {
  const list = {
    id: 'l',
    marketId: 'm',
    marketName: 'Market',
    marketDayId: 'd',
    date: '2026-12-19',
    timezone: 'America/Chicago',
    vendorName: 'Vendor',
    currency: 'USD',
    trigger: 'inputs-changed',
    generatedAt: '2026-12-18T18:00:00.000Z',
    salesAsOf: null,
    weatherAsOf: null,
    eventsAsOf: null,
    model: null,
    coldStart: null,
    closingHoliday: null,
    totals: { effectiveQuantity: 6, expectedRevenueMinor: 1000 },
    health: { verdict: 'good', summary: null, reasons: [] },
    lines: [line('Bread'), unpriced('Jam')],
  } satisfies PrepList;

  it('leaves a list from the API as it is (its flags win over its revenue)', () => {
    expect(withPricedDefaults(list)).toBe(list);
    const pricedAtZero = { ...list, lines: [line('Bread', { expectedRevenueMinor: 0 })] };
    expect(withPricedDefaults(pricedAtZero).lines[0]?.priced).toBe(true);
  });

  it('reads a copy kept offline from before the flag by the revenue it was made with', () => {
    const old = list.lines.map(({ priced: _dropped, ...rest }) => rest);
    const read = withPricedDefaults({ ...list, lines: old } as unknown as PrepList);
    expect(read.lines.map((l) => [l.productName, l.priced])).toEqual([
      ['Bread', true],
      ['Jam', false],
    ]);
  });
});

describe('coverageWords', () => {
  it('says which way the product’s economics lean', () => {
    const at = (criticalRatio: number) =>
      coverageWords(line('Bread', { criticalRatio, recommendedQuantity: 12 }));
    expect(at(0.83)).toBe(
      'Bringing 12 covers demand on 83 of 100 similar days: a leftover costs you less than a missed sale.',
    );
    // Cut flowers that cost most of their price: fewer, and the sentence says why.
    expect(at(0.35)).toBe(
      'Bringing 12 covers demand on 35 of 100 similar days: a leftover costs you more than a missed sale.',
    );
    expect(at(0.5)).toMatch(/a leftover costs you as much as a missed sale\.$/);
  });

  it('says when there is no cost to weigh, and reads an offline copy without the flag as before', () => {
    const uncosted = line('Rhubarb Pie', {
      costed: false,
      criticalRatio: 0.83,
      recommendedQuantity: 9,
    });
    expect(coverageWords(uncosted)).toBe(
      'No unit cost set yet: bringing 9 covers demand on 83 of 100 similar days, as your other products do.',
    );
    const { costed: _dropped, ...old } = line('Bread', { criticalRatio: 0.83 });
    expect(coverageWords(old as PrepListLine)).toMatch(/^Bringing 3 covers demand on 83 of 100/);
  });
});
