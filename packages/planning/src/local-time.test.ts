import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
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

  it('answers remembered reads as fresh ones, across zones, minutes and midnights', () => {
    const fresh = (instant: number, timeZone: string) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        })
          .formatToParts(instant)
          .map((p) => [p.type, p.value]),
      );
      return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}`];
    };
    const zones = ['America/Chicago', 'Asia/Kathmandu', 'Australia/Adelaide', 'UTC'];
    // Every 7 minutes 13 seconds over a week, read twice (the second read is remembered).
    for (let round = 0; round < 2; round += 1) {
      for (let t = Date.UTC(2026, 2, 5); t < Date.UTC(2026, 2, 12); t += 433_000) {
        for (const zone of zones) {
          const [date, time] = fresh(t, zone);
          expect([localDate(new Date(t), zone), localTime(new Date(t), zone)]).toEqual([
            date,
            time,
          ]);
        }
      }
    }
    // Kathmandu is UTC+5:45: its midnight falls at 18:15 UTC, inside any hour-long bucket.
    expect(localDate(new Date('2026-11-23T18:14:59.999Z'), 'Asia/Kathmandu')).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-23T18:15:00.000Z'), 'Asia/Kathmandu')).toBe('2026-11-24');
  });

  it('turns a local wall-clock time into the instant, across DST changes', () => {
    expect(zonedInstant('2026-11-21', '11:40', 'America/Chicago').toISOString()).toBe(
      '2026-11-21T17:40:00.000Z',
    );
    expect(zonedInstant('2026-07-04', '08:00', 'America/Chicago').toISOString()).toBe(
      '2026-07-04T13:00:00.000Z',
    );
    // The day clocks go back (1 Nov 2026 in the US): 08:00 is already CST.
    expect(zonedInstant('2026-11-01', '08:00', 'America/Chicago').toISOString()).toBe(
      '2026-11-01T14:00:00.000Z',
    );
    expect(zonedInstant('2026-03-29', '09:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T07:30:00.000Z',
    );
  });

  it('reads the local calendar date of an instant', () => {
    expect(localDate(new Date('2026-11-22T05:30:00Z'), 'America/Chicago')).toBe('2026-11-21');
    expect(localDate(new Date('2026-11-22T05:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-22');
  });

  it('does calendar arithmetic with Monday = 0', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(daysBetween('2026-11-01', '2026-11-22')).toBe(21);
    expect(weekdayOf('2026-11-21')).toBe(5);
    expect(weekdayOf('2026-11-23')).toBe(0);
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

  it('lists only the weeks of the month a market runs on', () => {
    // Two openings on Saturdays in winter: 1st and 3rd in the morning, the last in the afternoon.
    const dates = scheduledDates(
      [
        {
          weekday: 5,
          opensAt: '09:00',
          closesAt: '13:00',
          seasonFrom: '11-01',
          seasonTo: '04-30',
          weeksOfMonth: [1, 3],
        },
        {
          weekday: 5,
          opensAt: '14:00',
          closesAt: '17:00',
          seasonFrom: null,
          seasonTo: null,
          weeksOfMonth: [-1],
        },
      ],
      '2026-11-30',
      35,
    );
    expect(dates.map((d) => `${d.date} ${d.opensAt}`)).toEqual([
      '2026-12-05 09:00',
      '2026-12-19 09:00',
      '2026-12-26 14:00',
      '2027-01-02 09:00',
    ]);
  });
});
