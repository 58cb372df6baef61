import { addDays } from '@marketprep/forecast';
import { describe, expect, it } from 'vitest';
import { weekdayOf } from './local-time';
import { inferWeeklySchedule } from './schedule-inference';

/** Every date from `from` to `to` (inclusive) that falls on one of `weekdays` (0 = Monday). */
function datesOn(weekdays: number[], from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    if (weekdays.includes(weekdayOf(date))) dates.push(date);
  }
  return dates;
}

/** Only the dates whose month (1-12) is in `months`. */
const inMonths = (dates: string[], months: number[]) =>
  dates.filter((d) => months.includes(Number(d.slice(5, 7))));

describe('inferWeeklySchedule', () => {
  it('finds Wednesdays and Saturdays and leaves stray days out', () => {
    // Ten weeks of Wednesday and Saturday markets, plus a Tuesday pop-up, a Thursday
    // (Thanksgiving) and a Sunday festival.
    const regular = datesOn([2, 5], '2026-09-30', '2026-12-05');
    const strays = ['2026-10-13', '2026-11-26', '2026-10-18'];
    const inferred = inferWeeklySchedule({ saleDates: [...regular, ...strays] });
    expect(inferred).toEqual({
      weekdays: [2, 5],
      seasonFrom: null,
      seasonTo: null,
      openings: [
        {
          weekday: 2,
          seasonFrom: null,
          seasonTo: null,
          weeksOfMonth: [],
          everyOtherWeekFrom: null,
        },
        {
          weekday: 5,
          seasonFrom: null,
          seasonTo: null,
          weeksOfMonth: [],
          everyOtherWeekFrom: null,
        },
      ],
      saleDays: regular.length + 3,
      matchedDays: regular.length,
      strayDates: ['2026-10-13', '2026-10-18', '2026-11-26'],
    });
    expect(regular.length).toBe(20);
  });

  it('ignores order, repeats (one line per product) and strings that are no date', () => {
    const saturdays = datesOn([5], '2026-10-03', '2026-10-31');
    const lines = [...saturdays, ...saturdays, ...saturdays].reverse();
    const inferred = inferWeeklySchedule({ saleDates: [...lines, 'not a date', '2026-02-30'] });
    expect(inferred?.weekdays).toEqual([5]);
    expect(inferred?.saleDays).toBe(5);
    expect(inferred?.strayDates).toEqual([]);
  });

  it('takes a single sale day as that weekday, and no dates as nothing', () => {
    expect(inferWeeklySchedule({ saleDates: ['2026-12-05'] })?.weekdays).toEqual([5]);
    expect(inferWeeklySchedule({ saleDates: [] })).toBeNull();
  });

  it('keeps a smaller second market day that is regular', () => {
    // Saturdays every week, Tuesdays every other week: both are market days.
    const saturdays = datesOn([5], '2026-06-06', '2026-11-28');
    const tuesdays = datesOn([1], '2026-06-02', '2026-11-24').filter((_, i) => i % 2 === 0);
    const inferred = inferWeeklySchedule({ saleDates: [...saturdays, ...tuesdays] });
    expect(inferred?.weekdays).toEqual([1, 5]);
    expect(inferred?.strayDates).toEqual([]);
  });

  it('counts the last year only: a market that moved from Sunday to Saturday is a Saturday one', () => {
    const sundays = datesOn([6], '2023-05-07', '2024-10-27');
    const saturdays = datesOn([5], '2025-01-04', '2026-11-28');
    const inferred = inferWeeklySchedule({ saleDates: [...sundays, ...saturdays] });
    expect(inferred?.weekdays).toEqual([5]);
    expect(inferred?.strayDates).toEqual([]);
  });

  it('finds the season months from two years of a May to October market', () => {
    // Saturdays of 2025 and 2026, May through October (first sale May 2/3, last Oct 25/31).
    const sales = inMonths(datesOn([5], '2025-01-01', '2026-12-05'), [5, 6, 7, 8, 9, 10]);
    const inferred = inferWeeklySchedule({ saleDates: sales });
    expect(inferred).toMatchObject({ weekdays: [5], seasonFrom: '05-01', seasonTo: '10-31' });
  });

  it('finds a winter season over New Year', () => {
    // A Saturday winter market, November through April, for two winters.
    const sales = inMonths(datesOn([5], '2024-11-01', '2026-04-30'), [11, 12, 1, 2, 3, 4]);
    const inferred = inferWeeklySchedule({ saleDates: sales });
    expect(inferred).toMatchObject({ weekdays: [5], seasonFrom: '11-01', seasonTo: '04-30' });
  });

  it('keeps a market that runs all year (a two-week Christmas break is no season)', () => {
    const sales = datesOn([5], '2025-01-03', '2026-12-05').filter(
      (d) => !(d >= '2025-12-20' && d <= '2026-01-04'),
    );
    const inferred = inferWeeklySchedule({ saleDates: sales });
    expect(inferred).toMatchObject({ weekdays: [5], seasonFrom: null, seasonTo: null });
  });

  it('infers no season from less than a year of sales', () => {
    // Four summer months: a season cannot be told from a short history.
    const sales = datesOn([2, 5], '2026-06-01', '2026-09-30');
    const inferred = inferWeeklySchedule({ saleDates: sales });
    expect(inferred).toMatchObject({ weekdays: [2, 5], seasonFrom: null, seasonTo: null });
  });

  it('ends a season on Feb 29 in a leap-year table', () => {
    const sales = inMonths(datesOn([6], '2024-12-01', '2026-02-28'), [12, 1, 2]);
    const inferred = inferWeeklySchedule({ saleDates: sales });
    expect(inferred).toMatchObject({ weekdays: [6], seasonFrom: '12-01', seasonTo: '02-29' });
  });
});

describe('inferWeeklySchedule: weeks of the month', () => {
  /** The nth (1-5) or last (-1) `weekday` of the month of each date in `dates`. */
  const onWeeks = (dates: string[], weeks: number[]) =>
    dates.filter((d) => {
      const day = Number(d.slice(8, 10));
      const daysInMonth = new Date(
        Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0),
      ).getUTCDate();
      return weeks.some((w) => (w === -1 ? day + 7 > daysInMonth : Math.ceil(day / 7) === w));
    });

  it('finds a market weekly May-Oct and on the 1st and 3rd Saturdays Nov-Apr', () => {
    const saturdays = datesOn([5], '2025-06-07', '2026-12-05');
    const summer = inMonths(saturdays, [5, 6, 7, 8, 9, 10]);
    const winter = onWeeks(inMonths(saturdays, [11, 12, 1, 2, 3, 4]), [1, 3]);
    // One rained-out 1st Saturday and one extra 2nd Saturday (a holiday market) change nothing.
    const sales = [...summer, ...winter.filter((d) => d !== '2026-02-07'), '2025-12-13'];
    const inferred = inferWeeklySchedule({ saleDates: sales });
    expect(inferred?.openings).toEqual([
      {
        weekday: 5,
        seasonFrom: '05-01',
        seasonTo: '10-31',
        weeksOfMonth: [],
        everyOtherWeekFrom: null,
      },
      {
        weekday: 5,
        seasonFrom: '11-01',
        seasonTo: '04-30',
        weeksOfMonth: [1, 3],
        everyOtherWeekFrom: null,
      },
    ]);
  });

  it('finds the 2nd and 4th, and the last Sunday, all year', () => {
    const saturdays = datesOn([5], '2025-01-01', '2026-11-30');
    expect(inferWeeklySchedule({ saleDates: onWeeks(saturdays, [2, 4]) })?.openings).toEqual([
      {
        weekday: 5,
        seasonFrom: null,
        seasonTo: null,
        weeksOfMonth: [2, 4],
        everyOtherWeekFrom: null,
      },
    ]);
    const sundays = datesOn([6], '2025-01-01', '2026-11-30');
    expect(inferWeeklySchedule({ saleDates: onWeeks(sundays, [-1]) })?.openings).toEqual([
      {
        weekday: 6,
        seasonFrom: null,
        seasonTo: null,
        weeksOfMonth: [-1],
        everyOtherWeekFrom: null,
      },
    ]);
  });

  it('keeps a weekly market with a few missed weeks weekly', () => {
    // Every Saturday but every sixth one (weather, a holiday).
    const sales = datesOn([5], '2025-01-01', '2026-11-30').filter((_, i) => i % 6 !== 5);
    expect(inferWeeklySchedule({ saleDates: sales })?.openings).toEqual([
      { weekday: 5, seasonFrom: null, seasonTo: null, weeksOfMonth: [], everyOtherWeekFrom: null },
    ]);
  });

  it('finds a market every other week, and keeps one on the 1st and 3rd Saturdays apart from it', () => {
    const saturdays = datesOn([5], '2025-01-04', '2026-11-28');
    const biweekly = saturdays.filter((_, i) => i % 2 === 1);
    // One extra Saturday (a holiday market) does not break the beat.
    const inferred = inferWeeklySchedule({ saleDates: [...biweekly, '2025-12-20'] });
    expect(inferred?.openings).toEqual([
      {
        weekday: 5,
        seasonFrom: null,
        seasonTo: null,
        weeksOfMonth: [],
        everyOtherWeekFrom: biweekly.at(-1),
      },
    ]);
    expect(
      inferWeeklySchedule({ saleDates: onWeeks(saturdays, [1, 3]) })?.openings[0]
        ?.everyOtherWeekFrom,
    ).toBeNull();
  });

  it('suggests no weeks from fewer than three whole months', () => {
    const sales = onWeeks(datesOn([5], '2026-09-01', '2026-11-30'), [1, 3]).slice(0, 5);
    expect(inferWeeklySchedule({ saleDates: sales })?.openings).toEqual([
      { weekday: 5, seasonFrom: null, seasonTo: null, weeksOfMonth: [], everyOtherWeekFrom: null },
    ]);
  });
});
