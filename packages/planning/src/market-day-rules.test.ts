import { describe, expect, it } from 'vitest';
import {
  findLastMarketDate,
  findNearestMarketDates,
  formatMarketDate,
  formatMonthDay,
  notAMarketDayReason,
} from './market-day-rules';

const year = (weekday: number) => ({
  weekday,
  opensAt: '08:00',
  closesAt: '13:00',
  seasonFrom: null,
  seasonTo: null,
});
const season = (weekday: number, seasonFrom: string, seasonTo: string) => ({
  ...year(weekday),
  seasonFrom,
  seasonTo,
});

// Sunday market Apr 1 - Nov 30 (the demo's Maplewood), Wednesday market May - Oct.
const maplewood = { name: 'Maplewood', schedule: [season(6, '04-01', '11-30')] };
const lakeview = { name: 'Lakeview', schedule: [season(2, '05-01', '10-31')] };
// A winter market over New Year: Saturdays Nov 1 - Apr 30.
const winter = { name: 'Winter Market', schedule: [season(5, '11-01', '04-30')] };

describe('findLastMarketDate', () => {
  it('finds the latest in-season weekday, today included', () => {
    // Sunday 2026-11-29 is the last day of Maplewood's season; the Tuesday after points back to it.
    expect(findLastMarketDate({ today: '2026-11-29', ...maplewood, storedDays: [] })).toBe(
      '2026-11-29',
    );
    expect(findLastMarketDate({ today: '2026-12-01', ...maplewood, storedDays: [] })).toBe(
      '2026-11-29',
    );
    // Sunday Dec 6 is out of season and Nov 29 more than 14 days back by Dec 13.
    expect(findLastMarketDate({ today: '2026-12-07', ...maplewood, storedDays: [] })).toBe(
      '2026-11-29',
    );
    expect(findLastMarketDate({ today: '2026-12-13', ...maplewood, storedDays: [] })).toBeNull();
  });

  it('never offers an out-of-season day, also in the first week of a season', () => {
    // Wednesday 2026-04-29 is before Lakeview's season; Wednesday May 6 is its first market day.
    expect(findLastMarketDate({ today: '2026-05-05', ...lakeview, storedDays: [] })).toBeNull();
    expect(findLastMarketDate({ today: '2026-05-06', ...lakeview, storedDays: [] })).toBe(
      '2026-05-06',
    );
    // A season wrapping New Year: Saturday Jan 2 2027 is in it, Saturday May 2 2026 is not.
    expect(findLastMarketDate({ today: '2027-01-04', ...winter, storedDays: [] })).toBe(
      '2027-01-02',
    );
    expect(findLastMarketDate({ today: '2026-05-04', ...winter, storedDays: [] })).toBe(
      '2026-04-25',
    );
  });

  it('lets stored days decide their dates: cancelled ones are skipped, one-off ones count', () => {
    expect(
      findLastMarketDate({
        today: '2026-11-24',
        ...maplewood,
        storedDays: [{ date: '2026-11-22', status: 'CANCELLED' }],
      }),
    ).toBe('2026-11-15');
    // A one-off holiday market on Saturday Dec 19, out of the weekly season.
    expect(
      findLastMarketDate({
        today: '2026-12-21',
        ...maplewood,
        storedDays: [{ date: '2026-12-19', status: 'SCHEDULED' }],
      }),
    ).toBe('2026-12-19');
  });
});

describe('notAMarketDayReason', () => {
  it('is null for a market day, and says why for other days', () => {
    expect(notAMarketDayReason(maplewood, '2026-11-29')).toBeNull();
    expect(notAMarketDayReason(maplewood, '2026-12-06')).toBe(
      'Maplewood is closed on Sun, Dec 6: its Sunday market runs Apr 1–Nov 30.',
    );
    expect(notAMarketDayReason(maplewood, '2026-12-01')).toBe('Maplewood is closed on Tuesdays.');
    const twoSeasons = {
      name: 'Split',
      schedule: [season(6, '04-01', '06-30'), season(6, '09-01', '10-31')],
    };
    expect(notAMarketDayReason(twoSeasons, '2026-07-05')).toContain(
      'Split is closed on Sun, Jul 5: its Sunday market runs Apr 1–Jun 30 and Sep 1–Oct 31',
    );
    expect(notAMarketDayReason({ name: 'All year', schedule: [year(6)] }, '2026-12-06')).toBeNull();
  });

  it('knows a market that runs on some weeks of the month', () => {
    // Weekly May-Oct, the 1st and 3rd Saturdays Nov-Apr (Dec 2026: Saturdays 5, 12, 19, 26).
    const rosa = {
      name: 'Rosa',
      schedule: [
        season(5, '05-01', '10-31'),
        { ...season(5, '11-01', '04-30'), weeksOfMonth: [1, 3] },
      ],
    };
    expect(notAMarketDayReason(rosa, '2026-12-05')).toBeNull();
    expect(
      notAMarketDayReason(rosa, '2026-12-12', { previous: '2026-12-05', next: '2026-12-19' }),
    ).toBe(
      'Rosa is closed on Sat, Dec 12: its Saturday market runs May 1–Oct 31 and on the 1st and 3rd Saturdays of the month Nov 1–Apr 30; its next market day is Sat, Dec 19 and the one before is Sat, Dec 5.',
    );
    expect(findNearestMarketDates({ ...rosa, date: '2026-12-05', storedDays: [] })).toEqual({
      previous: '2026-11-21',
      next: '2026-12-19',
    });
    expect(findLastMarketDate({ ...rosa, today: '2026-12-16', storedDays: [] })).toBe('2026-12-05');
    // A one-off day on a 2nd Saturday counts; in summer every Saturday does.
    expect(
      findLastMarketDate({
        ...rosa,
        today: '2026-12-16',
        storedDays: [{ date: '2026-12-12', status: 'SCHEDULED' }],
      }),
    ).toBe('2026-12-12');
    expect(notAMarketDayReason(rosa, '2026-07-11')).toBeNull();
    const biweekly = {
      name: 'Uptown',
      schedule: [{ ...season(2, '06-01', '09-30'), everyOtherWeekFrom: '2027-06-02' }],
    };
    expect(notAMarketDayReason(biweekly, '2027-06-16')).toBeNull();
    expect(notAMarketDayReason(biweekly, '2027-06-09')).toBe(
      'Uptown is closed on Wed, Jun 9: its Wednesday market runs every other week from Jun 2, Jun 1–Sep 30.',
    );
    const lastSunday = { name: 'Flea', schedule: [{ ...year(6), weeksOfMonth: [-1] }] };
    expect(notAMarketDayReason(lastSunday, '2026-12-20')).toBe(
      'Flea is closed on Sun, Dec 20: its Sunday market runs on the last Sunday of the month.',
    );
  });

  it('gives a date of another year than the current one its year', () => {
    expect(
      notAMarketDayReason(
        maplewood,
        '2026-12-06',
        { previous: '2026-11-29', next: '2027-04-04' },
        { currentYear: 2026 },
      ),
    ).toBe(
      'Maplewood is closed on Sun, Dec 6: its Sunday market runs Apr 1–Nov 30; its next market day is Sun, Apr 4, 2027 and the one before is Sun, Nov 29.',
    );
    expect(formatMarketDate('2027-01-02', 2026)).toBe('Sat, Jan 2, 2027');
    expect(formatMarketDate('2026-12-26', 2026)).toBe('Sat, Dec 26');
  });

  it('names the nearest market days when given', () => {
    expect(
      notAMarketDayReason(maplewood, '2026-12-01', { previous: '2026-11-29', next: '2027-04-04' }),
    ).toBe(
      'Maplewood is closed on Tuesdays; its next market day is Sun, Apr 4 and the one before is Sun, Nov 29.',
    );
    expect(
      notAMarketDayReason(lakeview, '2026-07-06', { previous: null, next: '2026-07-08' }),
    ).toBe('Lakeview is closed on Mondays; its next market day is Wed, Jul 8.');
    expect(
      notAMarketDayReason(lakeview, '2026-07-06', { previous: '2026-07-01', next: null }),
    ).toBe('Lakeview is closed on Mondays; its last market day before that is Wed, Jul 1.');
  });

  it('formats month-days and market dates', () => {
    expect(formatMarketDate('2026-12-12')).toBe('Sat, Dec 12');
    expect(formatMarketDate('2027-01-04')).toBe('Mon, Jan 4');
    expect(formatMonthDay('04-01')).toBe('Apr 1');
    expect(formatMonthDay('12-31')).toBe('Dec 31');
  });
});

describe('findNearestMarketDates', () => {
  it('finds the in-season market days either side, over New Year and seasons', () => {
    // Tuesday in summer: Lakeview's Wednesdays either side.
    expect(findNearestMarketDates({ date: '2026-07-07', ...lakeview, storedDays: [] })).toEqual({
      previous: '2026-07-01',
      next: '2026-07-08',
    });
    // December: Maplewood's season ended Nov 29 and starts again on the first Sunday of April.
    expect(findNearestMarketDates({ date: '2026-12-06', ...maplewood, storedDays: [] })).toEqual({
      previous: '2026-11-29',
      next: '2027-04-04',
    });
    // A winter market over New Year.
    expect(findNearestMarketDates({ date: '2026-12-29', ...winter, storedDays: [] })).toEqual({
      previous: '2026-12-26',
      next: '2027-01-02',
    });
  });

  it('skips cancelled days and counts one-off days', () => {
    expect(
      findNearestMarketDates({
        date: '2026-11-24',
        ...maplewood,
        storedDays: [
          { date: '2026-11-22', status: 'CANCELLED' },
          { date: '2026-11-28', status: 'SCHEDULED' },
        ],
      }),
    ).toEqual({ previous: '2026-11-15', next: '2026-11-28' });
  });

  it('is null on both sides for a market without a schedule', () => {
    expect(findNearestMarketDates({ date: '2026-12-06', schedule: [], storedDays: [] })).toEqual({
      previous: null,
      next: null,
    });
  });
});
