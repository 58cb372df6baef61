import type { WeekPlanInputs } from '@marketprep/db';
import { describe, expect, it } from 'vitest';
import { assembleWeekPlan } from './week-planner';

// Christmas week 2027 at a Saturday market: Christmas Day is its Saturday. The plan names the
// holiday on that day (the page asks the vendor to check the market opens), as on the prep list.
const inputs = (countryCode: string): WeekPlanInputs => ({
  markets: [
    { id: 'm1', name: 'Riverside', timezone: 'America/Chicago', countryCode, regionCode: null },
  ],
  marketDays: [
    { id: 'd-18', marketId: 'm1', date: '2027-12-18' },
    { id: 'd-25', marketId: 'm1', date: '2027-12-25' },
  ],
  products: [],
  preOrders: [],
  kept: [],
  keptInWeek: [],
  freezes: [],
});

const planOf = (countryCode: string) =>
  assembleWeekPlan({
    inputs: inputs(countryCode),
    lines: new Map(),
    from: '2027-12-18',
    to: '2027-12-25',
    now: new Date('2027-12-17T22:00:00Z'),
  });

describe('the week plan names a market day on a holiday most markets do not open', () => {
  it('Christmas Day in the market’s country; no other day', () => {
    expect(planOf('US').marketDays.map((d) => [d.date, d.closingHoliday])).toEqual([
      ['2027-12-18', null],
      ['2027-12-25', 'Christmas Day'],
    ]);
  });

  it('none where the country has no such holiday on file', () => {
    expect(planOf('ZZ').marketDays.map((d) => d.closingHoliday)).toEqual([null, null]);
  });
});
