import type { PrepList, PrepListAvailability, PrepListLine } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import {
  isOutOfSeason,
  outOfSeasonMatchesNote,
  outOfSeasonToggleLabel,
  seasonNote,
  splitBySeason,
  withSeasonDefaults,
} from './season';
import { sortAndFilterLines } from './sort-filter';

const IN_SEASON: PrepListAvailability = {
  inSeason: true,
  source: 'learned',
  lastSoldOn: '2026-12-12',
  usualMonths: [],
  note: null,
};

function line(productId: string, productName: string, over: Partial<PrepListLine> = {}) {
  const base: PrepListLine = {
    productId,
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
    availability: { ...IN_SEASON, usualMonths: [] },
    explanation: { baseline: 2, baselineSupport: 1, effects: [], summary: '' },
  };
  return { ...base, ...over };
}

const winter = {
  modelRung: 'out-of-season' as const,
  recommendedQuantity: 0,
  effectiveQuantity: 0,
  expectedSold: 0,
  expectedRevenueMinor: 0,
  availability: {
    inSeason: false,
    source: 'learned' as const,
    lastSoldOn: '2026-09-14',
    usualMonths: [7, 8, 9],
    note: 'Not in season: last sold Sep 14; usually Jul-Sep',
  },
};

const bread = line('a', 'Bread');
const strawberries = line('b', 'Strawberries', winter);
const corn = line('c', 'Corn', winter);
const tulips = line('d', 'Tulips', { ...winter, overrideQuantity: 6, effectiveQuantity: 6 });

describe('splitBySeason', () => {
  it('keeps out-of-season products behind the toggle, unless set by hand', () => {
    const { onList, outOfSeason } = splitBySeason([bread, strawberries, tulips, corn]);
    expect(onList.map((l) => l.productName)).toEqual(['Bread', 'Tulips']);
    expect(outOfSeason.map((l) => l.productName)).toEqual(['Strawberries', 'Corn']);
    expect(outOfSeasonToggleLabel(outOfSeason.length, false)).toBe('Show out-of-season (2)');
    expect(outOfSeasonToggleLabel(outOfSeason.length, true)).toBe('Hide out-of-season (2)');
  });

  it('names the out-of-season products a search found when nothing on the list matched', () => {
    expect(outOfSeasonMatchesNote([])).toBeNull();
    expect(outOfSeasonMatchesNote(['Blueberries'])).toBe(
      'Out of season (at the end of the list): Blueberries.',
    );
    expect(outOfSeasonMatchesNote(['A', 'B', 'C', 'D', 'E'])).toBe(
      'Out of season (at the end of the list): A, B, C and 2 more.',
    );
  });

  it('takes either sign of being out of season', () => {
    expect(isOutOfSeason(bread)).toBe(false);
    expect(isOutOfSeason(strawberries)).toBe(true);
    expect(
      isOutOfSeason(line('e', 'Pie', { availability: { ...IN_SEASON, inSeason: false } })),
    ).toBe(true);
    expect(isOutOfSeason(line('f', 'Rye', { modelRung: 'out-of-season' }))).toBe(true);
  });

  it('filters and sorts each part like the rest of the list', () => {
    const { outOfSeason } = splitBySeason([bread, strawberries, corn]);
    const sorted = sortAndFilterLines(outOfSeason, {
      sort: 'name',
      filter: { search: '', category: '' },
      categories: new Map(),
    });
    expect(sorted.map((l) => l.productName)).toEqual(['Corn', 'Strawberries']);
    const found = sortAndFilterLines(outOfSeason, {
      sort: 'name',
      filter: { search: 'straw', category: '' },
      categories: new Map(),
    });
    expect(found.map((l) => l.productName)).toEqual(['Strawberries']);
  });
});

describe('seasonNote', () => {
  it("says the engine's reason, or plainly that it is out of season", () => {
    expect(seasonNote(strawberries)).toBe('Not in season: last sold Sep 14; usually Jul-Sep');
    expect(seasonNote(line('g', 'Kale', { availability: { ...IN_SEASON, inSeason: false } }))).toBe(
      'Not in season',
    );
  });
});

describe('withSeasonDefaults', () => {
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
    totals: { effectiveQuantity: 3, expectedRevenueMinor: 1000 },
    health: { verdict: 'good', summary: null, reasons: [] },
    lines: [bread, strawberries],
  } satisfies PrepList;

  it('reads a copy kept offline from before seasons as all in season, no guess', () => {
    const { availability: _dropped, ...oldLine } = bread;
    const { coldStart: _none, ...oldList } = list;
    const read = withSeasonDefaults({ ...oldList, lines: [oldLine] } as unknown as PrepList);
    expect(read.coldStart).toBeNull();
    expect(read.lines[0]?.availability).toMatchObject({ inSeason: true, source: 'unknown' });
    expect(splitBySeason(read.lines).onList).toHaveLength(1);
  });

  it('leaves a current list as it is', () => {
    expect(withSeasonDefaults(list)).toBe(list);
  });
});
