import { describe, expect, it } from 'vitest';
import { ProductCreateBodySchema, ProductSeasonSchema, ProductUpdateBodySchema } from './products';

const MARKET = '3f2c1e4a-8b7d-4c6e-9a1f-2b3c4d5e6f70';
const OTHER_MARKET = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/** The distinct paths of the issues a season gets, `months.1` style. */
function issuePaths(value: unknown): string[] {
  const result = ProductSeasonSchema.safeParse(value);
  return result.success ? [] : [...new Set(result.error.issues.map((i) => i.path.join('.')))];
}

describe('ProductSeasonSchema', () => {
  it.each([
    ['learned', { mode: 'learned' }],
    ['learned, not at one market', { mode: 'learned', excludedMarkets: [MARKET] }],
    ['always', { mode: 'always' }],
    ['always, not at two markets', { mode: 'always', excludedMarkets: [MARKET, OTHER_MARKET] }],
    ['summer months', { mode: 'months', months: [6, 7, 8] }],
    ['every month', { mode: 'months', months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }],
    ['a range over New Year', { mode: 'months', ranges: [{ from: '11-15', to: '02-28' }] }],
    ['a leap day bound', { mode: 'months', ranges: [{ from: '02-29', to: '03-31' }] }],
    [
      'months and ranges together',
      { mode: 'months', months: [7], ranges: [{ from: '12-01', to: '12-24' }] },
    ],
  ])('accepts %s, unchanged', (_label, season) => {
    expect(ProductSeasonSchema.parse(season)).toEqual(season);
  });

  it.each([
    ['month 0', { mode: 'months', months: [0] }, ['months.0']],
    ['month 13', { mode: 'months', months: [6, 13] }, ['months.1']],
    ['a fractional month', { mode: 'months', months: [6.5] }, ['months.0']],
    ['a month given twice', { mode: 'months', months: [6, 7, 6] }, ['months.2']],
    ['no month and no range', { mode: 'months', months: [] }, ['months']],
    ['mode months without months', { mode: 'months' }, ['months']],
    ['months with mode always', { mode: 'always', months: [6] }, ['months']],
    [
      'ranges with mode learned',
      { mode: 'learned', ranges: [{ from: '06-01', to: '06-30' }] },
      ['ranges'],
    ],
    ['an unknown mode', { mode: 'sometimes' }, ['mode']],
    ['no mode', { months: [6] }, ['mode']],
    [
      'February 30',
      { mode: 'months', ranges: [{ from: '02-30', to: '03-10' }] },
      ['ranges.0.from'],
    ],
    [
      'a full date',
      { mode: 'months', ranges: [{ from: '2026-06-01', to: '06-30' }] },
      ['ranges.0.from'],
    ],
    ['April 31', { mode: 'months', ranges: [{ from: '04-01', to: '04-31' }] }, ['ranges.0.to']],
    [
      'a range field too many',
      { mode: 'months', ranges: [{ from: '06-01', to: '06-30', x: 1 }] },
      ['ranges.0'],
    ],
    [
      'a market that is not a uuid',
      { mode: 'always', excludedMarkets: ['riverside'] },
      ['excludedMarkets.0'],
    ],
    [
      'a market given twice',
      { mode: 'always', excludedMarkets: [MARKET, MARKET] },
      ['excludedMarkets.1'],
    ],
    ['an unknown field', { mode: 'always', weeks: [22] }, ['']],
  ])('refuses %s', (_label, season, paths) => {
    expect(issuePaths(season)).toEqual(paths);
  });
});

describe('season on product bodies', () => {
  it('is optional and nullable on create and PATCH', () => {
    expect(ProductCreateBodySchema.parse({ name: 'Corn', priceMinor: 100 })).not.toHaveProperty(
      'season',
    );
    expect(ProductUpdateBodySchema.parse({ priceMinor: 950 })).toEqual({ priceMinor: 950 });
    expect(ProductUpdateBodySchema.parse({ season: null })).toEqual({ season: null });
    expect(
      ProductCreateBodySchema.parse({
        name: 'Corn',
        priceMinor: 100,
        season: { mode: 'months', months: [7, 8] },
      }).season,
    ).toEqual({ mode: 'months', months: [7, 8] });
  });

  it('refuses a bad season inside a PATCH at its full path', () => {
    const result = ProductUpdateBodySchema.safeParse({ season: { mode: 'months', months: [13] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['season.months.0']);
  });
});
