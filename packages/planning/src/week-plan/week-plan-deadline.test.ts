import { describe, expect, it } from 'vitest';
import { decisionDeadlineAt, reminderDue, shiftDate } from './week-plan-deadline';

describe('decisionDeadlineAt', () => {
  const cases: Array<[string, string, number, string, string]> = [
    // market date, zone, days before, local time, instant
    ['2026-12-12', 'America/New_York', 1, '20:00', '2026-12-12T01:00:00.000Z'],
    // The evening before the US fall-back change (Nov 1, 2026): still daylight time.
    ['2026-11-01', 'America/New_York', 1, '20:00', '2026-11-01T00:00:00.000Z'],
    // Spring forward in Europe (Mar 29, 2026): the morning of the change is summer time.
    ['2026-03-29', 'Europe/London', 0, '06:00', '2026-03-29T05:00:00.000Z'],
    // Across New Year.
    ['2027-01-01', 'America/Los_Angeles', 2, '07:30', '2026-12-30T15:30:00.000Z'],
    // The week before Mother's Day (May 10, 2026) in Australia's Sydney (no DST then).
    ['2026-05-09', 'Australia/Sydney', 1, '17:00', '2026-05-08T07:00:00.000Z'],
  ];
  it.each(cases)('%s in %s, %i day(s) before at %s', (date, zone, daysBefore, time, instant) => {
    expect(
      decisionDeadlineAt({
        marketDate: date,
        timeZone: zone,
        deadline: { daysBefore, time },
      }).toISOString(),
    ).toBe(instant);
  });

  it('shifts calendar dates across month and year ends', () => {
    expect(shiftDate('2026-03-01', 1)).toBe('2026-02-28');
    expect(shiftDate('2027-01-01', 1)).toBe('2026-12-31');
  });
});

describe('reminderDue', () => {
  const deadline = new Date('2026-12-12T01:00:00Z');
  it('is due in the three hours before the deadline only', () => {
    expect(reminderDue(deadline, new Date('2026-12-11T21:59:00Z'))).toBe(false);
    expect(reminderDue(deadline, new Date('2026-12-11T22:00:00Z'))).toBe(true);
    expect(reminderDue(deadline, new Date('2026-12-12T00:59:00Z'))).toBe(true);
    expect(reminderDue(deadline, new Date('2026-12-12T01:00:00Z'))).toBe(false);
  });
});
