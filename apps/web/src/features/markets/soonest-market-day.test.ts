import type { Market } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import { soonestMarketDay } from './soonest-market-day';

function market(name: string, fields: Partial<Market>): Market {
  return {
    id: name,
    name,
    latitude: 41.88,
    longitude: -87.78,
    timezone: 'America/Chicago',
    schedule: [],
    nextMarketDate: null,
    ...fields,
  } as Market;
}

const now = new Date('2026-12-07T18:00:00Z');
const summer = [
  {
    weekday: 5,
    opensAt: '08:00',
    closesAt: '13:00',
    seasonFrom: '05-01',
    seasonTo: '10-31',
    weeksOfMonth: [],
    everyOtherWeekFrom: null,
  },
];

describe('soonestMarketDay', () => {
  it('takes the nearest next market day the API gives', () => {
    const next = soonestMarketDay(
      [
        market('Riverside', { nextMarketDate: '2026-12-19' }),
        market('Lakeview', { nextMarketDate: '2026-12-12' }),
      ],
      now,
    );
    expect(next).toMatchObject({ date: '2026-12-12', soon: true });
    expect(next?.market.name).toBe('Lakeview');
  });

  it("falls back to an out-of-season market's first day of next season", () => {
    // A farm that signs up in December: its May-October Saturdays start on May 1, 2027.
    const next = soonestMarketDay([market('Oak Park', { schedule: summer })], now);
    expect(next).toMatchObject({ date: '2027-05-01', soon: false, currentYear: 2026 });
    // A market without a location yet has no prep list to open.
    expect(
      soonestMarketDay([market('Oak Park', { schedule: summer, latitude: 0, longitude: 0 })], now),
    ).toBeNull();
  });
});
