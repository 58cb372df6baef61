import { describe, expect, it } from 'vitest';

import {
  formatEveryOtherWeek,
  formatWeeksOfMonth,
  inEveryOtherWeek,
  inSeason,
  inWeeksOfMonth,
  opensOn,
} from './market-calendar';
import { MarketScheduleInputSchema } from './markets';

describe('market calendar', () => {
  it('reads seasons inclusively, wrapping over New Year', () => {
    expect(inSeason('2027-01-05', '12-10', '01-05')).toBe(true);
    expect(inSeason('2027-01-06', '12-10', '01-05')).toBe(false);
    expect(inSeason('2026-10-31', '05-01', '10-31')).toBe(true);
    expect(inSeason('2026-11-01', '05-01', '10-31')).toBe(false);
    expect(inSeason('2027-06-06', null, null)).toBe(true);
  });

  it('finds the nth and the last weekday of a month', () => {
    // December 2026: Saturdays 5, 12, 19, 26; January 2027: Saturdays 2, 9, 16, 23, 30.
    const saturdays = ['2026-12-05', '2026-12-12', '2026-12-19', '2026-12-26'];
    expect(saturdays.filter((d) => inWeeksOfMonth(d, [1, 3]))).toEqual([
      '2026-12-05',
      '2026-12-19',
    ]);
    expect(saturdays.filter((d) => inWeeksOfMonth(d, [2, 4]))).toEqual([
      '2026-12-12',
      '2026-12-26',
    ]);
    expect(saturdays.filter((d) => inWeeksOfMonth(d, [-1]))).toEqual(['2026-12-26']);
    expect(inWeeksOfMonth('2027-01-30', [5])).toBe(true);
    expect(inWeeksOfMonth('2027-01-30', [-1])).toBe(true);
    expect(inWeeksOfMonth('2027-01-23', [-1])).toBe(false);
    // February 2027 has 28 days: the 4th Saturday (Feb 27) is the last.
    expect(inWeeksOfMonth('2027-02-27', [-1])).toBe(true);
    expect(saturdays.every((d) => inWeeksOfMonth(d, []))).toBe(true);
    expect(inWeeksOfMonth('2026-12-12', null)).toBe(true);
  });

  it('opens on its weekday, in its season, on its weeks of the month', () => {
    const winter = { weekday: 5, seasonFrom: '11-01', seasonTo: '04-30', weeksOfMonth: [1, 3] };
    expect(opensOn(winter, '2026-12-05')).toBe(true);
    expect(opensOn(winter, '2026-12-12')).toBe(false);
    expect(opensOn(winter, '2026-12-06')).toBe(false); // a Sunday
    expect(opensOn(winter, '2027-05-01')).toBe(false); // 1st Saturday, out of season
    expect(opensOn({ weekday: 5 }, '2026-12-12')).toBe(true);
  });

  it('runs every other week from a date, before and after it, over New Year', () => {
    const from = '2026-12-12';
    expect(
      [
        '2026-11-28',
        '2026-12-05',
        '2026-12-12',
        '2026-12-19',
        '2026-12-26',
        '2027-01-02',
        '2027-01-09',
      ].filter((d) => inEveryOtherWeek(d, from)),
    ).toEqual(['2026-11-28', '2026-12-12', '2026-12-26', '2027-01-09']);
    expect(inEveryOtherWeek('2026-12-19', null)).toBe(true);
    const biweekly = { weekday: 5, everyOtherWeekFrom: from };
    expect(opensOn(biweekly, '2027-01-09')).toBe(true);
    expect(opensOn(biweekly, '2027-01-02')).toBe(false);
    expect(opensOn(biweekly, '2027-01-10')).toBe(false); // a Sunday
    expect(formatEveryOtherWeek(from)).toBe('every other week from Dec 12');
    expect(formatEveryOtherWeek(null)).toBeNull();
  });

  it('says the weeks in month order', () => {
    expect(formatWeeksOfMonth([3, 1])).toBe('1st and 3rd');
    expect(formatWeeksOfMonth([-1, 2])).toBe('2nd and last');
    expect(formatWeeksOfMonth([1, 2, 4])).toBe('1st, 2nd and 4th');
    expect(formatWeeksOfMonth([-1])).toBe('last');
    expect(formatWeeksOfMonth([])).toBeNull();
  });

  it('accepts first to fifth and the last week, each once', () => {
    const entry = { weekday: 5, opensAt: '08:00', closesAt: '12:00' };
    expect(MarketScheduleInputSchema.safeParse({ ...entry, weeksOfMonth: [1, 3] }).success).toBe(
      true,
    );
    expect(MarketScheduleInputSchema.safeParse({ ...entry, weeksOfMonth: [-1] }).success).toBe(
      true,
    );
    for (const weeksOfMonth of [[0], [6], [1.5], [-2], [1, 1]]) {
      expect(MarketScheduleInputSchema.safeParse({ ...entry, weeksOfMonth }).success).toBe(false);
    }
    // Every other week: from a date on the entry's weekday, and not with weeks of the month.
    const biweekly = { ...entry, everyOtherWeekFrom: '2026-12-12' };
    expect(MarketScheduleInputSchema.safeParse(biweekly).success).toBe(true);
    const sunday = MarketScheduleInputSchema.safeParse({
      ...biweekly,
      everyOtherWeekFrom: '2026-12-13',
    });
    expect(sunday.error?.issues[0]?.path).toEqual(['everyOtherWeekFrom']);
    expect(MarketScheduleInputSchema.safeParse({ ...biweekly, weeksOfMonth: [1, 3] }).success).toBe(
      false,
    );
    expect(MarketScheduleInputSchema.safeParse({ ...biweekly, weeksOfMonth: [] }).success).toBe(
      true,
    );
  });
});
