import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber, weekdayOfDay } from './calendar-dates';
import { dateFlagsOn, easterSunday, learnDateFlags } from './date-flags';
import { predictDemand } from './predict';
import { createRandom } from './testing/synthetic-vendor';
import { trainDemandModel } from './train';
import type { MarketDayCovariates, SalesObservation } from './types';

const day = toDayNumber;

describe('easterSunday', () => {
  it('matches published dates', () => {
    for (const date of ['2000-04-23', '2019-04-21', '2024-03-31', '2025-04-20', '2038-04-25']) {
      expect(fromDayNumber(easterSunday(Number(date.slice(0, 4))))).toBe(date);
    }
  });
});

describe('learnDateFlags', () => {
  const holidays = [
    '2022-12-25',
    '2023-12-25',
    '2022-04-18', // Easter Monday
    '2023-04-10', // Easter Monday
    '2023-06-19', // once only
  ].map(day);
  const everyDay = Array.from({ length: 800 }, (_, i) => day('2022-01-01') + i);

  it('names recurring holidays by month-day or by distance from Easter, with the days around', () => {
    const flags = learnDateFlags(holidays, everyDay);
    expect(flags).toEqual([
      'date:12-24',
      'date:12-25',
      'date:12-27..12-30',
      'date:12-31',
      'date:easter+0',
      'date:easter+1',
      'date:easter+2',
    ]);
    // A holiday seen in one year is not a pattern, and Easter Monday is no fixed date.
    expect(flags).not.toContain('date:06-19');
    expect(flags).not.toContain('date:04-18');
  });

  it('keeps only flags the sales saw in two years or more', () => {
    const sundays = everyDay.filter((d) => weekdayOfDay(d) === 6);
    // Christmas Day fell on a Sunday once (2022) in these two years, Easter Sunday twice.
    expect(learnDateFlags(holidays, sundays)).toEqual(['date:easter+0']);
  });

  it('marks a date by its names only where the spec has them', () => {
    expect(dateFlagsOn(day('2024-12-25'), ['is_holiday', 'date:12-25', 'date:12-24'])).toEqual([
      'date:12-25',
    ]);
    expect(dateFlagsOn(day('2024-04-01'), ['date:easter+1'])).toEqual(['date:easter+1']);
    expect(dateFlagsOn(day('2024-12-28'), ['date:12-27..12-30'])).toEqual(['date:12-27..12-30']);
    expect(dateFlagsOn(day('2024-12-25'), ['is_holiday'])).toEqual([]);
  });
});

/**
 * A bakery open every day, Sundays 1.6x a weekday. It is shut every Christmas Day and New Year's
 * Day and trades like a Sunday on every other holiday; the calendar says only `is_holiday`.
 */
function bakery(): { sales: SalesObservation[]; covariates: MarketDayCovariates[] } {
  const random = createRandom(11);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const sales: SalesObservation[] = [];
  const covariates: MarketDayCovariates[] = [];
  const start = day('2021-01-01');
  for (let d = start; d < start + 365 * 3; d++) {
    const date = fromDayNumber(d);
    const md = date.slice(5);
    const easter = d - easterSunday(Number(date.slice(0, 4)));
    const shut = md === '12-25' || md === '01-01';
    const sundayLike = md === '10-03' || md === '05-01' || easter === 1 || easter === 50;
    covariates.push({
      date,
      market: 'shop',
      flags: { is_holiday: shut || sundayLike },
    });
    const lift = weekdayOfDay(d) === 6 || sundayLike ? 1.6 : 1;
    for (const [product, level] of [
      ['bread', 60],
      ['rolls', 120],
    ] as const) {
      const quantity = shut ? 0 : Math.round(level * lift * Math.exp(0.15 * normal()));
      sales.push({ date, market: 'shop', product, quantity });
    }
  }
  return { sales, covariates };
}

describe('a holiday learnt as itself', () => {
  const { sales, covariates } = bakery();
  const model = trainDemandModel({ sales, covariates, trainThrough: '2023-09-30' });
  const forecast = (date: string) =>
    predictDemand({
      model,
      requests: [{ date, market: 'shop', product: 'rolls' }],
      covariates: [{ date, market: 'shop', flags: { is_holiday: true } }],
    })[0];

  it('expects nothing on the holiday the shop is shut every year', () => {
    const christmas = forecast('2023-12-25'); // a Monday
    expect(christmas?.p50).toBe(0);
  });

  it('expects a Sunday-sized day on the holidays it trades', () => {
    const unity = forecast('2023-10-03'); // a Tuesday
    const tuesday = predictDemand({
      model,
      requests: [{ date: '2023-10-10', market: 'shop', product: 'rolls' }],
    })[0];
    expect((unity?.p50 ?? 0) / (tuesday?.p50 ?? 1)).toBeGreaterThan(1.3);
    expect(unity?.p10 ?? 0).toBeGreaterThan(tuesday?.p50 ?? 0);
  });
});
