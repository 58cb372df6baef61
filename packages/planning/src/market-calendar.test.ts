import { describe, expect, it } from 'vitest';
import { PLANNING_HORIZON_DAYS, scheduledCalendarDays } from './market-calendar';

describe('scheduledCalendarDays', () => {
  const riverside = {
    id: 'riverside',
    timezone: 'America/Chicago',
    schedule: [
      {
        weekday: 5,
        opensAt: '09:00',
        closesAt: '13:00',
        seasonFrom: null,
        seasonTo: null,
        weeksOfMonth: [],
        everyOtherWeekFrom: null,
      },
      {
        weekday: 6,
        opensAt: '09:00',
        closesAt: '14:00',
        seasonFrom: '04-01',
        seasonTo: '11-30',
        weeksOfMonth: [],
        everyOtherWeekFrom: null,
      },
    ],
  };

  it("puts the week's scheduled days on the calendar at the schedule's hours, in season only", () => {
    const days = scheduledCalendarDays({
      vendorId: 'v',
      markets: [riverside],
      from: '2026-12-21',
      to: '2026-12-27',
      now: new Date('2026-12-07T15:00:00Z'),
    });
    // Saturday Dec 26; the Sunday opening is out of season in December.
    expect(days).toEqual([
      {
        vendorId: 'v',
        marketId: 'riverside',
        date: '2026-12-26',
        opensAt: new Date('2026-12-26T15:00:00Z'),
        closesAt: new Date('2026-12-26T19:00:00Z'),
      },
    ]);
  });

  it('leaves the past as it was stored: only days from the market’s today on', () => {
    const days = scheduledCalendarDays({
      vendorId: 'v',
      markets: [riverside],
      from: '2026-11-09',
      to: '2026-11-15',
      // Sunday Nov 15, 9 AM in Chicago: Sunday is today, Saturday is past.
      now: new Date('2026-11-15T15:00:00Z'),
    });
    expect(days.map((d) => d.date)).toEqual(['2026-11-15']);
    expect(
      scheduledCalendarDays({
        vendorId: 'v',
        markets: [riverside],
        from: '2026-11-02',
        to: '2026-11-08',
        now: new Date('2026-11-15T15:00:00Z'),
      }),
    ).toEqual([]);
  });

  it("reaches the planning horizon from the market's today by default", () => {
    const days = scheduledCalendarDays({
      vendorId: 'v',
      markets: [riverside],
      now: new Date('2026-12-07T15:00:00Z'),
    });
    // Monday Dec 7: eight Saturdays, Dec 12 to Jan 30 (56 days through Jan 31).
    expect(PLANNING_HORIZON_DAYS).toBe(56);
    expect(days.map((d) => d.date)).toEqual([
      '2026-12-12',
      '2026-12-19',
      '2026-12-26',
      '2027-01-02',
      '2027-01-09',
      '2027-01-16',
      '2027-01-23',
      '2027-01-30',
    ]);
  });
});
