import { describe, expect, it } from 'vitest';
import { closingHolidayOn } from './holidays';

const on = (date: string, countryCode = 'US', regionCode: string | null = 'IL') =>
  closingHolidayOn({ countryCode, regionCode }, date);

describe('closingHolidayOn: the holidays on which most markets do not open', () => {
  it('names Christmas Day, New Year’s Day and Thanksgiving Day in the US', () => {
    expect(on('2027-12-25')).toBe('Christmas Day');
    expect(on('2028-01-01')).toBe("New Year's Day");
    expect(on('2027-11-25')).toBe('Thanksgiving Day');
    // The region may be stored as ISO 3166-2.
    expect(on('2027-12-25', 'us', 'US-IL')).toBe('Christmas Day');
  });

  it('leaves the days around them and substitute days to the market', () => {
    // Christmas Eve (the observed federal holiday when Christmas is a Saturday) is a busy market.
    expect(on('2027-12-24')).toBeNull();
    expect(on('2027-11-26')).toBeNull();
    expect(on('2027-12-31')).toBeNull();
    expect(on('2027-12-18')).toBeNull();
  });

  it('reads the market’s own country, and knows no holiday of an unknown one', () => {
    expect(on('2027-11-25', 'GB', null)).toBeNull();
    expect(on('2027-12-25', 'DE', null)).toBe('Christmas Day');
    expect(on('2027-12-26', 'GB', null)).toBeNull();
    expect(on('2027-12-25', 'ZZ', null)).toBeNull();
    expect(on('2027-12-25', 'not a country', null)).toBeNull();
  });
});
