import type { PrepListLine } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import { categoriesOnList, compareNames, formatRange, sortAndFilterLines } from './sort-filter';

function line(productId: string, productName: string, qty: number, revenue: number): PrepListLine {
  return {
    productId,
    productName,
    unit: 'each',
    q10: 1,
    q50: 2,
    q90: 3,
    criticalRatio: 0.5,
    recommendedQuantity: qty,
    overrideQuantity: null,
    effectiveQuantity: qty,
    expectedSold: qty,
    expectedRevenueMinor: revenue,
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
  };
}

const lines = [
  line('a', 'sourdough loaf', 40, 24_500),
  line('b', 'Baguette', 46, 14_873),
  line('c', 'Apple Butter', 15, 30_000),
];
const categories = new Map<string, string | null>([
  ['a', 'bread'],
  ['b', 'bread'],
  ['c', 'preserves'],
]);
const all = { search: '', category: '' };

describe('sortAndFilterLines', () => {
  it('sorts by name (any case), quantity or revenue', () => {
    const names = (sort: 'name' | 'quantity' | 'revenue') =>
      sortAndFilterLines(lines, { sort, filter: all, categories }).map((l) => l.productId);
    expect(names('name')).toEqual(['c', 'b', 'a']);
    expect(names('quantity')).toEqual(['b', 'a', 'c']);
    expect(names('revenue')).toEqual(['c', 'a', 'b']);
  });

  it('filters by part of the name and by category', () => {
    const pick = (search: string, category: string) =>
      sortAndFilterLines(lines, { sort: 'name', filter: { search, category }, categories }).map(
        (l) => l.productId,
      );
    expect(pick('  SOUR ', '')).toEqual(['a']);
    expect(pick('', 'bread')).toEqual(['b', 'a']);
    expect(pick('apple', 'bread')).toEqual([]);
    expect(pick('', 'unknown')).toEqual([]);
  });

  it('does not reorder the list it was given', () => {
    sortAndFilterLines(lines, { sort: 'quantity', filter: all, categories });
    expect(lines.map((l) => l.productId)).toEqual(['a', 'b', 'c']);
  });

  it('lists categories on the list and formats the likely range in whole units', () => {
    expect(categoriesOnList(lines, categories)).toEqual(['bread', 'preserves']);
    expect(formatRange(26.4, 46.1)).toBe('26–47');
    expect(formatRange(0, 0)).toBe('0');
  });
});

describe('compareNames', () => {
  const names = [
    'Apple Butter',
    'apple butter',
    'Apples (2 lb bag)',
    'Äpple',
    'Tulips (10 stems)',
    'Tulips (9 stems)',
    'Tulips (09 stems)',
    'Jam 2',
    'Jam 10',
    'Jam-2',
    'Jam 2b',
    'Jam2',
    'Crème brûlée',
    'Creme brulee',
    'Crème',
    "Grandma's Jam",
    'Grandmas Jam',
    'Eggs (12)',
    'Eggs (6)',
    'Eggs',
    'éclair',
    'Eclair',
    '10 Grain Loaf',
    '9 Grain Loaf',
    '#1 Bread',
    'Bread #2',
    'Bread',
    'Straße Brot',
    'Strasse Brot',
    'Smørrebrød',
    'Smorrebrod',
    'Pain au Chocolat',
    'Pasture-Raised Eggs',
    'Pasture Raised Eggs',
    'Sweet Corn (half dozen)',
    'Zucchini',
    'zucchini 2',
    '',
  ];
  const collator = new Intl.Collator('en-US', { sensitivity: 'base', numeric: true });

  it('orders every pair as the en-US collator does (case, accents, numbers, punctuation)', () => {
    for (const a of names) {
      for (const b of names) {
        expect([a, b, Math.sign(compareNames(a, b))]).toEqual([
          a,
          b,
          Math.sign(collator.compare(a, b)),
        ]);
      }
    }
  });
});
