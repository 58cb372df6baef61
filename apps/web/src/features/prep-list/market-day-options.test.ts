import { describe, expect, it } from 'vitest';

import { addDays, listMarketDays, orderShortcuts, pickerWindow } from './market-day-options';

const opening = (weekday: number, seasonFrom: string | null, seasonTo: string | null) => ({
  weekday,
  opensAt: '09:00',
  closesAt: '14:00',
  seasonFrom,
  seasonTo,
});
// Sundays Apr 1 - Nov 30 (Maplewood), Saturdays all year in two seasons (Riverside).
const maplewood = [opening(6, '04-01', '11-30')];
const riverside = [opening(5, '05-01', '10-31'), opening(5, '11-01', '04-30')];

describe('listMarketDays', () => {
  it('lists in-season weekdays only, in summer and in December', () => {
    expect(
      listMarketDays({ schedule: maplewood, storedDays: [], from: '2026-07-01', to: '2026-07-20' }),
    ).toEqual(['2026-07-05', '2026-07-12', '2026-07-19']);
    // The season ended Nov 30: nothing from Dec 1 to the end of March.
    expect(
      listMarketDays({ schedule: maplewood, storedDays: [], from: '2026-11-23', to: '2027-04-10' }),
    ).toEqual(['2026-11-29', '2027-04-04']);
    // A season over New Year keeps its Saturdays.
    expect(
      listMarketDays({ schedule: riverside, storedDays: [], from: '2026-12-25', to: '2027-01-09' }),
    ).toEqual(['2026-12-26', '2027-01-02', '2027-01-09']);
  });

  it('leaves out cancelled days and adds one-off days', () => {
    expect(
      listMarketDays({
        schedule: riverside,
        storedDays: [
          { date: '2026-12-12', status: 'CANCELLED' },
          { date: '2026-12-23', status: 'SCHEDULED' },
        ],
        from: '2026-12-05',
        to: '2026-12-26',
      }),
    ).toEqual(['2026-12-05', '2026-12-19', '2026-12-23', '2026-12-26']);
  });
});

describe('pickerWindow', () => {
  it('looks ahead for a prep list and back for a check-in, across New Year', () => {
    expect(pickerWindow('prep-list', '2026-12-05')).toEqual({
      from: '2026-12-05',
      to: '2027-01-30',
    });
    expect(pickerWindow('check-in', '2027-01-10')).toEqual({
      from: '2026-11-15',
      to: '2027-01-10',
    });
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('orderShortcuts', () => {
  // Sunday Dec 6: Riverside met yesterday, Maplewood's season ended Nov 29, Lakeview has no day.
  const entries = [
    { market: 'Maplewood', date: '2026-11-29' },
    { market: 'Lakeview', date: null },
    { market: 'Riverside', date: '2026-12-05' },
  ];

  it('puts the market day just packed up first for a check-in', () => {
    expect(orderShortcuts('check-in', entries).map((e) => e.market)).toEqual([
      'Riverside',
      'Maplewood',
    ]);
  });

  it('puts the soonest market day first for a prep list', () => {
    const ahead = [
      { market: 'Riverside', date: '2026-12-12' },
      { market: 'Maplewood', date: '2027-04-04' },
      { market: 'Lakeview', date: '2027-05-05' },
    ];
    expect(orderShortcuts('prep-list', [...ahead].reverse()).map((e) => e.market)).toEqual([
      'Riverside',
      'Maplewood',
      'Lakeview',
    ]);
  });
});
