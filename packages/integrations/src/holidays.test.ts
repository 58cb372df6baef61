import { describe, expect, it } from 'vitest';
import { listHolidays } from './holidays';

describe('holidays', () => {
  it('lists US public holidays in a window, with state rules', () => {
    const holidays = listHolidays({
      countryCode: 'US',
      regionCode: 'US-CA',
      timeZone: 'America/Los_Angeles',
      from: '2024-07-01',
      to: '2024-09-10',
    });
    expect(holidays.map((holiday) => [holiday.date, holiday.name, holiday.type])).toEqual([
      ['2024-07-04', 'Independence Day', 'public'],
      ['2024-09-02', 'Labour Day', 'public'],
    ]);
  });

  it('includes school holidays where date-holidays knows them', () => {
    const holidays = listHolidays({
      countryCode: 'DE',
      regionCode: 'BY',
      from: '2024-11-20',
      to: '2024-11-20',
    });
    expect(holidays).toEqual([
      {
        date: '2024-11-20',
        name: 'Day of Prayer and Repentance',
        type: 'school',
        substitute: false,
      },
    ]);
  });

  it('spans a year boundary and filters by type', () => {
    const holidays = listHolidays({
      countryCode: 'GB',
      regionCode: 'ENG',
      from: '2024-12-24',
      to: '2025-01-02',
      types: ['public'],
    });
    expect(holidays.map((holiday) => holiday.date)).toEqual([
      '2024-12-25',
      '2024-12-26',
      '2025-01-01',
    ]);
  });

  it('answers an unknown country with nothing', () => {
    expect(listHolidays({ countryCode: 'XX', from: '2024-01-01', to: '2024-12-31' })).toEqual([]);
  });
});
