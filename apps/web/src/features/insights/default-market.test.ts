import { describe, expect, it } from 'vitest';

import { chooseDefaultMarket } from './default-market';

// The demo's three markets: Lakeview runs May-Oct, Maplewood Apr-Nov, Riverside all year (two
// seasons with different hours). Listed in the order the API sorts them (by name).
const lakeview = {
  id: 'lakeview',
  active: true,
  timezone: 'America/Chicago',
  schedule: [
    { weekday: 2, opensAt: '15:00', closesAt: '19:00', seasonFrom: '05-01', seasonTo: '10-31' },
  ],
};
const maplewood = {
  id: 'maplewood',
  active: true,
  timezone: 'America/Chicago',
  schedule: [
    { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '04-01', seasonTo: '11-30' },
  ],
};
const riverside = {
  id: 'riverside',
  active: true,
  timezone: 'America/Chicago',
  schedule: [
    { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
    { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
  ],
};

/** `now` at noon in Chicago on `date`, with each market's next and last market day. */
function at(
  date: string,
  days: Record<'lakeview' | 'maplewood' | 'riverside', [string | null, string | null]>,
) {
  const now = new Date(`${date}T18:00:00Z`);
  const markets = [lakeview, maplewood, riverside].map((market) => {
    const [nextMarketDate, lastMarketDate] = days[market.id as keyof typeof days];
    return { ...market, nextMarketDate, lastMarketDate };
  });
  return chooseDefaultMarket(markets, now)?.id;
}

describe('chooseDefaultMarket', () => {
  it('skips markets out of season in early December (the demo today)', () => {
    expect(
      at('2026-12-05', {
        lakeview: [null, null],
        maplewood: [null, '2026-11-29'],
        riverside: ['2026-12-05', '2026-12-05'],
      }),
    ).toBe('riverside');
  });

  it('picks the nearest next market day in the first week of the summer season', () => {
    // Fri May 1: Lakeview's first Wednesday is May 6, Riverside's Saturday is May 2.
    expect(
      at('2026-05-01', {
        lakeview: ['2026-05-06', null],
        maplewood: ['2026-05-03', '2026-04-26'],
        riverside: ['2026-05-02', '2026-04-25'],
      }),
    ).toBe('riverside');
    // Mon May 4: Lakeview on Wednesday comes first.
    expect(
      at('2026-05-04', {
        lakeview: ['2026-05-06', null],
        maplewood: ['2026-05-10', '2026-05-03'],
        riverside: ['2026-05-09', '2026-05-02'],
      }),
    ).toBe('lakeview');
  });

  it("does not pick a market whose season ends before its next day (the season's last week)", () => {
    // Thu Oct 29: Lakeview's season is over after Oct 31, its next listed day is next May.
    expect(
      at('2026-10-29', {
        lakeview: ['2027-05-05', '2026-10-28'],
        maplewood: ['2026-11-01', '2026-10-25'],
        riverside: ['2026-10-31', '2026-10-24'],
      }),
    ).toBe('riverside');
  });

  it('falls back to the most recent market day when nothing is coming up (New Year)', () => {
    expect(
      at('2027-01-01', {
        lakeview: [null, null],
        maplewood: [null, null],
        riverside: [null, '2026-12-26'],
      }),
    ).toBe('riverside');
    expect(
      chooseDefaultMarket(
        [
          { ...lakeview, nextMarketDate: null, lastMarketDate: null },
          { ...maplewood, active: false, nextMarketDate: '2027-01-03', lastMarketDate: null },
        ],
        new Date('2027-01-01T18:00:00Z'),
      )?.id,
    ).toBe('lakeview');
    expect(chooseDefaultMarket([], new Date())).toBeUndefined();
  });
});
