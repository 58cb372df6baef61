import { ProductSeasonSchema } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import {
  describeMonths,
  describeSeason,
  sameSeason,
  seasonDraft,
  seasonFromDraft,
  toggleExcludedMarket,
  toggleMonth,
} from './product-season';

const RIVERSIDE = '3f2c1e4a-8b7d-4c6e-9a1f-2b3c4d5e6f70';
const LAKESIDE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const names = new Map([
  [RIVERSIDE, 'Riverside'],
  [LAKESIDE, 'Lakeside'],
]);

describe('season draft', () => {
  it('starts from "learn from my sales" for a product without a season', () => {
    expect(seasonDraft(null)).toEqual({
      mode: 'learned',
      months: [],
      ranges: [],
      excludedMarkets: [],
    });
    expect(seasonFromDraft(seasonDraft(null))).toBeNull();
  });

  it('builds what the API accepts: months in order, markets kept across modes', () => {
    let draft = seasonDraft(null);
    draft = toggleExcludedMarket(draft, LAKESIDE);
    expect(seasonFromDraft(draft)).toEqual({ mode: 'learned', excludedMarkets: [LAKESIDE] });
    draft = { ...draft, mode: 'months' };
    draft = toggleMonth(toggleMonth(toggleMonth(draft, 8), 6), 7);
    draft = toggleMonth(toggleMonth(draft, 12), 12);
    const months = seasonFromDraft(draft);
    expect(months).toEqual({ mode: 'months', months: [6, 7, 8], excludedMarkets: [LAKESIDE] });
    expect(ProductSeasonSchema.parse(months)).toEqual(months);
    // Back to "all year": the months stay in the draft (switching back restores them) but are
    // not sent, which the API would refuse.
    draft = { ...draft, mode: 'always' };
    expect(seasonFromDraft(draft)).toEqual({ mode: 'always', excludedMarkets: [LAKESIDE] });
    draft = toggleExcludedMarket(draft, LAKESIDE);
    expect(seasonFromDraft(draft)).toEqual({ mode: 'always' });
    expect(seasonFromDraft({ ...draft, mode: 'months' })).toEqual({
      mode: 'months',
      months: [6, 7, 8],
    });
  });

  it('keeps date ranges set through the API', () => {
    const season = { mode: 'months' as const, ranges: [{ from: '11-20', to: '01-06' }] };
    expect(seasonFromDraft(toggleMonth(seasonDraft(season), 7))).toEqual({
      mode: 'months',
      months: [7],
      ranges: [{ from: '11-20', to: '01-06' }],
    });
  });

  it('tells an unchanged season from a changed one', () => {
    expect(sameSeason(null, { mode: 'learned' })).toBe(true);
    expect(sameSeason({ mode: 'months', months: [7, 6] }, { mode: 'months', months: [6, 7] })).toBe(
      true,
    );
    expect(sameSeason(null, { mode: 'always' })).toBe(false);
    expect(sameSeason({ mode: 'months', months: [6] }, { mode: 'months', months: [7] })).toBe(
      false,
    );
  });
});

describe('describeMonths', () => {
  it.each([
    [[6, 7, 8], 'Jun-Aug'],
    [[7], 'Jul'],
    [[11, 12, 1, 2], 'Nov-Feb'],
    [[1, 5, 6], 'Jan, May-Jun'],
    [[1, 3, 5, 12], 'Mar, May, Dec-Jan'],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'every month'],
  ])('%j is "%s"', (months, text) => {
    expect(describeMonths(months)).toBe(text);
  });
});

describe('describeSeason', () => {
  const name = (id: string) => names.get(id);
  it.each([
    [null, 'Season: learned from your sales'],
    [{ mode: 'always' as const }, 'Season: all year'],
    [
      { mode: 'months' as const, months: [6, 7, 8], excludedMarkets: [RIVERSIDE] },
      'Season: Jun-Aug; not at Riverside',
    ],
    [
      {
        mode: 'months' as const,
        months: [7],
        ranges: [{ from: '12-01', to: '12-24' }],
      },
      'Season: Jul, Dec 1 to Dec 24',
    ],
    [
      { mode: 'learned' as const, excludedMarkets: [LAKESIDE, RIVERSIDE, crypto.randomUUID()] },
      'Season: learned from your sales; not at Lakeside, Riverside, 1 other market',
    ],
    [
      { mode: 'always' as const, excludedMarkets: [crypto.randomUUID(), crypto.randomUUID()] },
      'Season: all year; not at 2 markets',
    ],
  ])('%j reads "%s"', (season, text) => {
    expect(describeSeason(season, name)).toBe(text);
  });
});
