import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayOfYear,
  fromDayNumber,
  isCalendarDate,
  toDayNumber,
  weekdayOfDay,
} from './calendar-dates';

// These values are fixed: local-time Date methods would shift them in far-from-UTC zones. Run
// under two zones by hand: TZ=America/Los_Angeles and TZ=Asia/Tokyo npx vitest run --project unit
// packages/forecast (see docs/forecasting.md).
describe('calendar dates', () => {
  it('maps dates to day numbers and back', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('2015-01-01')).toBe(16436);
    expect(toDayNumber('2024-02-29')).toBe(19782);
    expect(fromDayNumber(16436)).toBe('2015-01-01');
    expect(fromDayNumber(-1)).toBe('1969-12-31');
  });

  it('gives Monday = 0 weekdays', () => {
    expect(weekdayOfDay(toDayNumber('2015-01-03'))).toBe(5); // a Saturday
    expect(weekdayOfDay(toDayNumber('2020-08-31'))).toBe(0); // a Monday
    expect(weekdayOfDay(toDayNumber('1969-12-28'))).toBe(6); // a Sunday before the epoch
  });

  it('adds days across month, year and DST boundaries', () => {
    expect(addDays('2015-03-28', 2)).toBe('2015-03-30');
    expect(addDays('2019-11-02', 2)).toBe('2019-11-04');
    expect(addDays('2016-02-28', 1)).toBe('2016-02-29');
    expect(addDays('2015-01-01', -1)).toBe('2014-12-31');
  });

  it('counts the day of the year', () => {
    expect(dayOfYear(toDayNumber('2015-01-01'))).toBe(1);
    expect(dayOfYear(toDayNumber('2016-12-31'))).toBe(366);
    expect(dayOfYear(toDayNumber('2015-03-01'))).toBe(60);
  });

  it('rejects what is not a calendar date', () => {
    expect(isCalendarDate('2015-02-29')).toBe(false);
    expect(isCalendarDate('2015-13-01')).toBe(false);
    expect(isCalendarDate('2015-1-1')).toBe(false);
    expect(isCalendarDate('2016-02-29')).toBe(true);
    expect(() => toDayNumber('01/02/2015')).toThrow(/YYYY-MM-DD/);
  });
});
