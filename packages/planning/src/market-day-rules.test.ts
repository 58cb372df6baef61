import { describe, expect, it } from 'vitest';
import { findLastMarketDate, formatMonthDay, notAMarketDayReason } from './market-day-rules';

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
      '2026-12-06 is not a market day of Maplewood: out of season (its Sunday market runs Apr 1–Nov 30).',
    );
    expect(notAMarketDayReason(maplewood, '2026-12-01')).toBe(
      '2026-12-01 is not a market day of Maplewood: it has no Tuesday market and no market day on that date.',
    );
    const twoSeasons = {
      name: 'Split',
      schedule: [season(6, '04-01', '06-30'), season(6, '09-01', '10-31')],
    };
    expect(notAMarketDayReason(twoSeasons, '2026-07-05')).toContain(
      'out of season (its Sunday market runs Apr 1–Jun 30 and Sep 1–Oct 31)',
    );
    expect(notAMarketDayReason({ name: 'All year', schedule: [year(6)] }, '2026-12-06')).toBeNull();
  });

  it('formats month-days', () => {
    expect(formatMonthDay('04-01')).toBe('Apr 1');
    expect(formatMonthDay('12-31')).toBe('Dec 31');
  });
});
