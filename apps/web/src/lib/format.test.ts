import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  currentYearIn,
  formatSignedQuantity,
  formatTemperature,
  resolveTemperatureUnit,
  formatNameWithUnit,
  formatQuantity,
  formatUnitPrice,
  pluralizeUnit,
  describeDaysUntil,
  formatDateInTimeZone,
  formatLocalDate,
  formatMoney,
  formatTimeZoneName,
  formatWeekday,
  isValidTimeZone,
  toLocalDate,
} from './format';

// 03:00 UTC on Saturday 2026-11-28: still Friday evening in Chicago (UTC-6), Saturday noon in Tokyo.
const SATURDAY_3AM_UTC = new Date('2026-11-28T03:00:00Z');

describe('formatWeekday', () => {
  it('counts from 0 = Monday to 6 = Sunday', () => {
    expect(formatWeekday(0)).toBe('Monday');
    expect(formatWeekday(5)).toBe('Saturday');
    expect(formatWeekday(6)).toBe('Sunday');
  });

  it('gives the plural for recurring days', () => {
    expect(formatWeekday(5, { plural: true })).toBe('Saturdays');
  });

  it('rejects a weekday outside 0..6', () => {
    expect(() => formatWeekday(7)).toThrow(RangeError);
    expect(() => formatWeekday(-1)).toThrow(RangeError);
    expect(() => formatWeekday(1.5)).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('formats USD minor units as dollars', () => {
    expect(formatMoney(4500)).toBe('$45.00');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(123_456)).toBe('$1,234.56');
  });

  it('uses the minor digits of the currency', () => {
    expect(formatMoney(500, 'JPY')).toBe('¥500');
    expect(formatMoney(123_456, 'EUR')).toBe('€1,234.56');
  });

  it('writes dollars exactly as Intl en-US does', () => {
    // Up to ten billion dollars: beyond ~15 digits Intl formats the float's rounding error.
    const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    const amounts = [0, -0, 1, -1, 99, 100, 999_999, 1_000_000, -123_456_789, 999_999_999_999];
    for (let i = 0; i < 500; i += 1)
      amounts.push(Math.round((Math.random() - 0.3) * 10 ** (i % 13)));
    for (const amount of amounts) expect(formatMoney(amount)).toBe(intl.format(amount / 100));
  });

  it('rejects fractional minor units', () => {
    expect(() => formatMoney(45.5)).toThrow(RangeError);
  });
});

describe('formatLocalDate', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('formats a market date as weekday, month and day', () => {
    expect(formatLocalDate('2026-11-28')).toBe('Sat, Nov 28');
  });

  it('does not shift the date through the time zone of the machine', () => {
    for (const zone of [
      'America/Chicago',
      'Asia/Tokyo',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
    ]) {
      vi.stubEnv('TZ', zone);
      expect(formatLocalDate('2026-11-28')).toBe('Sat, Nov 28');
      expect(formatLocalDate('2027-01-01')).toBe('Fri, Jan 1');
    }
  });

  it('adds the year only for a date of another year than the current one', () => {
    expect(formatLocalDate('2026-12-05', { currentYear: 2026 })).toBe('Sat, Dec 5');
    expect(formatLocalDate('2027-01-02', { currentYear: 2026 })).toBe('Sat, Jan 2, 2027');
    expect(formatLocalDate('2025-12-06', { currentYear: 2026 })).toBe('Sat, Dec 6, 2025');
  });

  it('takes the current year on the calendar of the zone given', () => {
    // 03:00 UTC on Jan 1 2027 is still New Year's Eve in Chicago.
    const newYearUtc = new Date('2027-01-01T03:00:00Z');
    expect(currentYearIn(newYearUtc, 'America/Chicago')).toBe(2026);
    expect(currentYearIn(newYearUtc, 'Asia/Tokyo')).toBe(2027);
    expect(currentYearIn(newYearUtc, 'Not/A_Zone')).toBe(2027);
  });

  it('rejects a malformed date', () => {
    expect(() => formatLocalDate('11/28/2026')).toThrow(RangeError);
  });

  it('says what Intl en-US says, for every day of three years (leap year included)', () => {
    const intl = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    const start = Date.UTC(2027, 0, 1);
    for (let day = 0; day < 3 * 366; day += 1) {
      const instant = new Date(start + day * 86_400_000);
      expect(formatLocalDate(instant.toISOString().slice(0, 10))).toBe(intl.format(instant));
    }
  });
});

describe('dates of an instant in a time zone', () => {
  it('puts one UTC instant on different calendar days in Chicago and Tokyo', () => {
    expect(toLocalDate(SATURDAY_3AM_UTC, 'America/Chicago')).toBe('2026-11-27');
    expect(toLocalDate(SATURDAY_3AM_UTC, 'Asia/Tokyo')).toBe('2026-11-28');
    expect(formatDateInTimeZone(SATURDAY_3AM_UTC, 'America/Chicago')).toBe('Fri, Nov 27');
    expect(formatDateInTimeZone(SATURDAY_3AM_UTC, 'Asia/Tokyo')).toBe('Sat, Nov 28');
  });

  it('counts days until a market from the market’s own today', () => {
    expect(describeDaysUntil('2026-11-28', SATURDAY_3AM_UTC, 'America/Chicago')).toBe('Tomorrow');
    expect(describeDaysUntil('2026-11-28', SATURDAY_3AM_UTC, 'Asia/Tokyo')).toBe('Today');
    expect(describeDaysUntil('2026-12-01', SATURDAY_3AM_UTC, 'Asia/Tokyo')).toBe('In 3 days');
  });

  it('says nothing for dates a week or more away, or in the past', () => {
    expect(describeDaysUntil('2026-12-05', SATURDAY_3AM_UTC, 'Asia/Tokyo')).toBeNull();
    expect(describeDaysUntil('2026-11-27', SATURDAY_3AM_UTC, 'Asia/Tokyo')).toBeNull();
  });

  it('crosses a daylight-saving change without losing a day', () => {
    // US clocks fall back on Sunday 2026-11-01; Saturday 2026-10-31 21:00 in Chicago is 02:00 UTC.
    const saturdayEvening = new Date('2026-11-01T02:00:00Z');
    expect(toLocalDate(saturdayEvening, 'America/Chicago')).toBe('2026-10-31');
    expect(describeDaysUntil('2026-11-06', saturdayEvening, 'America/Chicago')).toBe('In 6 days');
  });
});

describe('time zones', () => {
  it('knows real IANA zones and refuses made-up ones', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('names a zone the way people say it, falling back to the id', () => {
    expect(formatTimeZoneName('America/Chicago', SATURDAY_3AM_UTC)).toBe('Central Time');
    expect(formatTimeZoneName('America/New_York', SATURDAY_3AM_UTC)).toBe('Eastern Time');
    expect(formatTimeZoneName('Etc/GMT+5', SATURDAY_3AM_UTC)).toBe('Etc/GMT+5');
    expect(formatTimeZoneName('Mars/Olympus_Mons', SATURDAY_3AM_UTC)).toBe('Mars/Olympus_Mons');
  });
});

describe('units in words', () => {
  it('pluralizes a unit after any quantity but one', () => {
    expect(formatQuantity(8.4, 'loaf', '+8.4')).toBe('+8.4 loaves');
    expect(formatQuantity(1, 'loaf')).toBe('1 loaf');
    expect(formatQuantity(-1, 'loaf', '−1')).toBe('−1 loaf');
    expect(formatQuantity(0, 'jar')).toBe('0 jars');
    expect(pluralizeUnit('half loaf', 3)).toBe('half loaves');
    expect(pluralizeUnit('bunch', 2)).toBe('bunches');
    expect(pluralizeUnit('box', 2)).toBe('boxes');
    expect(pluralizeUnit('berry', 2)).toBe('berries');
    expect(pluralizeUnit('6-pack', 2)).toBe('6-packs');
    expect(pluralizeUnit('pint', 0.5)).toBe('pints');
    expect(pluralizeUnit('bag', 1)).toBe('bag');
  });

  it('keeps counting words and abbreviations as they are', () => {
    expect(formatQuantity(12, 'each')).toBe('12 each');
    expect(formatQuantity(3, 'dozen')).toBe('3 dozen');
    expect(formatQuantity(2.5, 'lb')).toBe('2.5 lb');
  });

  it('says "each" without "per"', () => {
    expect(formatUnitPrice(450, 'each')).toBe('$4.50 each');
    expect(formatUnitPrice(900, 'loaf')).toBe('$9.00 per loaf');
  });

  it('adds the unit to a name only when the name does not say it', () => {
    expect(formatNameWithUnit('Eggs (6-pack)', 'pack')).toBe('Eggs (6-pack)');
    expect(formatNameWithUnit('Sourdough loaf', 'loaf')).toBe('Sourdough loaf');
    expect(formatNameWithUnit('Honey', 'jar')).toBe('Honey (jar)');
    expect(formatNameWithUnit('Cookies', 'each')).toBe('Cookies');
    expect(formatNameWithUnit('Kale bunches', 'bunch')).toBe('Kale bunches');
  });
});

describe('signed quantities', () => {
  it('rounds what is counted to whole units and pluralizes after rounding', () => {
    expect(formatSignedQuantity(8.4, 'loaf')).toBe('+8 loaves');
    expect(formatSignedQuantity(-5.7, 'loaf')).toBe('−6 loaves');
    expect(formatSignedQuantity(1.2, 'loaf')).toBe('+1 loaf');
    expect(formatSignedQuantity(-0.6, 'jar')).toBe('−1 jar');
    expect(formatSignedQuantity(12.5, 'each')).toBe('+13 each');
  });

  it('keeps one decimal for what is weighed, below ten', () => {
    expect(formatSignedQuantity(2.46, 'lb')).toBe('+2.5 lb');
    expect(formatSignedQuantity(-14.4, 'kg')).toBe('−14 kg');
  });

  it('says "less than 1" rather than a zero', () => {
    expect(formatSignedQuantity(0.3, 'loaf')).toBe('less than 1 loaf');
    expect(formatSignedQuantity(-0.02, 'lb')).toBe('less than 0.1 lb');
  });
});

describe('names with units', () => {
  it('never repeats a unit the name already says, in any form', () => {
    expect(formatNameWithUnit('Eggs (6-pack)', '6-pack')).toBe('Eggs (6-pack)');
    expect(formatNameWithUnit('Eggs (6-pack)', 'pack')).toBe('Eggs (6-pack)');
    expect(formatNameWithUnit('Jam jars', 'jar')).toBe('Jam jars');
    expect(formatNameWithUnit('Tomatoes', 'lb')).toBe('Tomatoes (lb)');
    expect(formatNameWithUnit('Eggs', ' dozen ')).toBe('Eggs (dozen)');
    expect(formatNameWithUnit('Kale', '')).toBe('Kale');
  });
});

describe('temperatures', () => {
  it('reads °F for US markets and °C elsewhere when automatic', () => {
    expect(resolveTemperatureUnit('auto', 'US')).toBe('F');
    expect(resolveTemperatureUnit(undefined, 'us')).toBe('F');
    expect(resolveTemperatureUnit('auto', 'PR')).toBe('F');
    expect(resolveTemperatureUnit('auto', 'CA')).toBe('C');
    expect(resolveTemperatureUnit('auto', 'DE')).toBe('C');
    expect(resolveTemperatureUnit('auto', null)).toBe('C');
  });

  it("follows the owner's choice over the country", () => {
    expect(resolveTemperatureUnit('celsius', 'US')).toBe('C');
    expect(resolveTemperatureUnit('fahrenheit', 'CA')).toBe('F');
  });

  it('converts from the stored °C and rounds to whole degrees', () => {
    expect(formatTemperature(22, 'F')).toBe('72°F');
    expect(formatTemperature(22, 'C')).toBe('22°C');
    expect(formatTemperature(0, 'F')).toBe('32°F');
    expect(formatTemperature(-40, 'F')).toBe('−40°F');
    expect(formatTemperature(-3.4, 'C')).toBe('−3°C');
    expect(formatTemperature(-0.4, 'C')).toBe('0°C');
    expect(formatTemperature(30.6, 'C')).toBe('31°C');
  });
});
