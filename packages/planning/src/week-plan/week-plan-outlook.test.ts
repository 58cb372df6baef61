import type { WeekPlan, WeekPlanDay, WeekPlanRain } from '@marketprep/contracts';
import type { OutlookChangeThreshold, WeekPlanOutlookRecord } from '@marketprep/db';
import { describe, expect, it } from 'vitest';
import { evaluateOutlook } from './week-plan-outlook';
import { dueWeeks, outlookNotifications } from './week-planner';

const MARKET = '00000000-0000-4000-8000-0000000000a1';
const PRODUCT = '00000000-0000-4000-8000-0000000000b1';
const NOW = new Date('2026-07-08T12:00:00Z');
const percent20 = { mode: 'percent' as const, value: 20 };

const rainOf = (make: number): WeekPlanRain => ({
  precipProb: 0.6,
  precipMm: 4,
  prepQuantity: make,
  make,
  bring: make,
  expectedSold: make,
  expectedRevenueMinor: 0,
  expectedProfitMinor: 0,
  revenueDifferenceMinor: 0,
  profitDifferenceMinor: 0,
  planProfitIfRainMinor: 0,
});

function planWith(make: number, options: { rain?: WeekPlanRain; frozen?: boolean } = {}) {
  const day: WeekPlanDay = {
    marketDayId: '00000000-0000-4000-8000-0000000000c1',
    marketId: MARKET,
    marketName: 'Riverside',
    date: '2026-07-11',
    deadlineAt: '2026-07-11T01:00:00.000Z',
    frozen: options.frozen ?? false,
    frozenAt: null,
    prepQuantity: make,
    preOrders: 0,
    standingMinimum: 0,
    carriedOver: 0,
    carriedExpected: 0,
    makeUncapped: make,
    make,
    cut: 0,
    bring: make,
    preOrdersShort: 0,
    expectedSold: make,
    expectedRevenueMinor: 0,
    expectedLeftover: 0,
    expectedProfitMinor: 0,
    cutProfitMinor: 0,
    rain: options.rain ?? null,
  };
  const plan: WeekPlan = {
    from: '2026-07-07',
    to: '2026-07-13',
    generatedAt: NOW.toISOString(),
    marketDays: [
      {
        marketDayId: day.marketDayId,
        marketId: MARKET,
        marketName: 'Riverside',
        date: day.date,
        timezone: 'America/Chicago',
        rain: options.rain ? { precipProb: 0.6, precipMm: 4 } : null,
        closingHoliday: null,
      },
    ],
    products: [
      {
        productId: PRODUCT,
        productName: 'Sourdough',
        unit: 'loaf',
        batchSize: 1,
        capacity: null,
        totalMake: make,
        totalCut: 0,
        carriedOverUnused: 0,
        capacityBound: false,
        priced: true,
        costed: true,
        cutNote: null,
        days: [day],
      },
    ],
    totals: { make, bring: make, expectedRevenueMinor: 0, expectedProfitMinor: 0 },
  };
  return plan;
}

/** Runs the evaluation over a sequence of plans, carrying the stored rows like the worker. */
function replay(plans: WeekPlan[], threshold: OutlookChangeThreshold = percent20) {
  let stored: WeekPlanOutlookRecord[] = [];
  return plans.map((plan) => {
    const result = evaluateOutlook({ plan, stored, threshold, now: NOW });
    const byKey = new Map(stored.map((r) => [`${r.productId}|${r.marketDate}`, r]));
    for (const row of result.rows) byKey.set(`${row.productId}|${row.marketDate}`, row);
    stored = [...byKey.values()];
    return result;
  });
}

describe('evaluateOutlook', () => {
  it('takes the first plan as the baseline and says nothing', () => {
    const [first] = replay([planWith(40)]);
    expect(first!.days).toEqual([]);
    expect(first!.rows).toEqual([
      {
        productId: PRODUCT,
        marketId: MARKET,
        marketDate: '2026-07-11',
        baseline: 40,
        notified: 40,
        changed: false,
        rainFeared: false,
      },
    ]);
  });

  it('sends a change beyond the threshold once, and the all clear when it comes back', () => {
    const results = replay([
      planWith(40),
      planWith(48), // exactly 20%: not more than the threshold
      planWith(30), // -25% from 40
      planWith(30), // nothing new
      planWith(28), // -6.7% from what was told
      planWith(39), // +39% from 28, and within 20% of the baseline 40: all clear
    ]);
    expect(results.map((r) => r.days.length)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(results[2]!.days[0]!.changed).toEqual([
      { productId: PRODUCT, productName: 'Sourdough', unit: 'loaf', before: 40, after: 30 },
    ]);
    expect(results[5]!.days[0]!.changed).toEqual([]);
    expect(results[5]!.days[0]!.back).toEqual([
      { productId: PRODUCT, productName: 'Sourdough', unit: 'loaf', before: 30, after: 39 },
    ]);
  });

  it('counts in units when the vendor chose units', () => {
    const results = replay([planWith(100), planWith(106), planWith(93)], {
      mode: 'units',
      value: 6,
    });
    expect(results.map((r) => r.days.length)).toEqual([0, 0, 1]);
  });

  it('sends the all clear when feared rain leaves the forecast, not when it was never feared', () => {
    const results = replay([
      planWith(40, { rain: rainOf(30) }), // the rain would cut 25%: feared
      planWith(40),
      planWith(40, { rain: rainOf(36) }), // -10%: not feared
      planWith(40),
    ]);
    expect(results.map((r) => r.days.length)).toEqual([0, 1, 0, 0]);
    expect(results[1]!.days[0]!.rainGone).toEqual([
      { productId: PRODUCT, productName: 'Sourdough', unit: 'loaf', before: 40, after: 40 },
    ]);
  });

  it('leaves frozen and past-deadline days alone', () => {
    const results = replay([planWith(40), planWith(10, { frozen: true })]);
    expect(results[1]!.days).toEqual([]);
    expect(results[1]!.rows).toEqual([]);
    const late = evaluateOutlook({
      plan: planWith(10),
      stored: results[0]!.rows,
      threshold: percent20,
      now: new Date('2026-07-11T02:00:00Z'),
    });
    expect(late.days).toEqual([]);
  });
});

describe('outlookNotifications', () => {
  it('words one notification per market day and kind, keyed by the change', () => {
    const [, changed, , back] = replay([
      planWith(40),
      planWith(30, { rain: rainOf(24) }),
      planWith(30, { rain: rainOf(24) }),
      planWith(40),
    ]);
    const [alert] = outlookNotifications('v1', changed!.days, NOW);
    expect(alert).toMatchObject({
      kind: 'week_plan.outlook_changed',
      title: 'The plan changed for Riverside on Sat, Jul 11',
      body: 'Sourdough: make 30 instead of 40. Rain is forecast (60% chance): see the rain plan. Open "This week" to check before it freezes.',
    });
    const [clear] = outlookNotifications('v1', back!.days, NOW);
    expect(clear).toMatchObject({
      kind: 'week_plan.all_clear',
      title: 'All clear for Riverside on Sat, Jul 11',
      body: 'Back to plan: Sourdough 40 (was 30).',
    });
    expect(alert!.dedupeKey).toMatch(
      /^week-plan-outlook:.+:2026-07-11:[0-9a-f]{16}:2026-07-08T12$/,
    );
    expect(clear!.dedupeKey).not.toBe(alert!.dedupeKey);
  });
});

describe('dueWeeks', () => {
  it('plans as many weeks ahead as the longest lead time needs', () => {
    expect(dueWeeks(null)).toBe(1);
    expect(dueWeeks(0)).toBe(1);
    expect(dueWeeks(3)).toBe(1);
    expect(dueWeeks(4)).toBe(2);
    expect(dueWeeks(10)).toBe(2);
    expect(dueWeeks(14)).toBe(3);
  });
});
