import { describe, expect, it } from 'vitest';
import {
  addDays,
  inSeason,
  localDate,
  localTime,
  scheduledDates,
  weekdayOf,
  zonedInstant,
} from './local-time';

describe('market-local time', () => {
  it('converts local wall-clock times to instants and back, across DST', () => {
    expect(zonedInstant('2026-07-04', '08:00', 'America/Chicago').toISOString()).toBe(
      '2026-07-04T13:00:00.000Z',
    );
    expect(zonedInstant('2026-12-05', '08:00', 'America/Chicago').toISOString()).toBe(
      '2026-12-05T14:00:00.000Z',
    );
    expect(zonedInstant('2026-06-01', '09:30', 'Australia/Sydney').toISOString()).toBe(
      '2026-05-31T23:30:00.000Z',
    );
    // 02:30 does not exist on 2026-03-08 in Chicago: it reads as 03:30 CDT.
    expect(zonedInstant('2026-03-08', '02:30', 'America/Chicago').toISOString()).toBe(
      '2026-03-08T08:30:00.000Z',
    );
    expect(localTime(new Date('2026-07-04T13:00:00Z'), 'America/Chicago')).toBe('08:00');
    expect(localDate(new Date('2026-11-22T05:30:00Z'), 'America/Chicago')).toBe('2026-11-21');
  });

  it('numbers weekdays from Monday = 0 and adds calendar days', () => {
    expect(weekdayOf('2026-11-23')).toBe(0);
    expect(weekdayOf('2026-11-28')).toBe(5);
    expect(weekdayOf('2026-11-29')).toBe(6);
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });

  it('handles seasons that wrap over New Year', () => {
    expect(inSeason('2026-07-01', '05-01', '10-31')).toBe(true);
    expect(inSeason('2026-11-01', '05-01', '10-31')).toBe(false);
    expect(inSeason('2026-12-20', '11-01', '04-30')).toBe(true);
    expect(inSeason('2026-05-20', '11-01', '04-30')).toBe(false);
    expect(inSeason('2026-05-20', null, null)).toBe(true);
  });

  it('lists the dates a weekly schedule opens, one per date, earliest opening first', () => {
    const dates = scheduledDates(
      [
        { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
        { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
        { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: null, seasonTo: null },
      ],
      '2026-10-26',
      14,
    );
    expect(dates).toEqual([
      { date: '2026-10-28', opensAt: '15:00', closesAt: '19:00' },
      { date: '2026-10-31', opensAt: '07:30', closesAt: '12:30' },
      { date: '2026-11-04', opensAt: '15:00', closesAt: '19:00' },
      { date: '2026-11-07', opensAt: '09:00', closesAt: '13:00' },
    ]);
  });
});
