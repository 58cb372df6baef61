import type { DemandWeatherRow, StoredPrepListLine, WeekPlanInputs } from '@marketprep/db';
import { QUANTILE_LEVELS } from '@marketprep/forecast';
import { describe, expect, it } from 'vitest';
import { dayOutcome, planProductWeek } from './week-plan-allocation';
import { rainForecastOf, rainyWeatherOf } from './week-plan-rain';
import { assembleWeekPlan, type RainyDay } from './week-planner';

const uniform = (low: number, high: number) => QUANTILE_LEVELS.map((l) => low + (high - low) * l);

const forecastRow = (over: Partial<DemandWeatherRow>): DemandWeatherRow => ({
  marketId: 'm1',
  date: '2026-07-11',
  kind: 'FORECAST',
  fetchedAt: new Date('2026-07-08T06:00:00Z'),
  tempMeanC: 21,
  tempMaxC: 26,
  tempMinC: 16,
  precipMm: 0,
  precipProb: 0.05,
  sunshineHours: 9,
  windKph: 10,
  cloudCoverPct: 20,
  humidityPct: 50,
  ...over,
});

describe('rainForecastOf / rainyWeatherOf', () => {
  it('sees rain from a 30% chance or 1 mm, never on a dry, observed or missing day', () => {
    expect(rainForecastOf(forecastRow({ precipProb: 0.29, precipMm: 0.4 }))).toBeNull();
    expect(rainForecastOf(forecastRow({ precipProb: 0.3, precipMm: 0.4 }))).toEqual({
      precipProb: 0.3,
      precipMm: 0.4,
    });
    expect(rainForecastOf(forecastRow({ precipProb: null, precipMm: 1 }))).toEqual({
      precipProb: null,
      precipMm: 1,
    });
    expect(rainForecastOf(forecastRow({ kind: 'OBSERVED', precipProb: 0.9, precipMm: 8 }))).toBe(
      null,
    );
    expect(rainForecastOf(undefined)).toBeNull();
  });

  it('makes the forecast rain certain with the amount expected if it rains, the rest as forecast', () => {
    const row = forecastRow({ precipProb: 0.6, precipMm: 4.2 });
    // 4.2 mm expected at a 60% chance: 7 mm if it rains.
    expect(rainyWeatherOf(row)).toEqual({ ...row, precipProb: 1, precipMm: 7 });
    expect(rainyWeatherOf(forecastRow({ precipProb: 0.28, precipMm: 1.1 }))?.precipMm).toBe(3.9);
    // An amount without a chance is taken as it is.
    expect(rainyWeatherOf(forecastRow({ precipProb: null, precipMm: 2.5 }))?.precipMm).toBe(2.5);
    // A chance without an amount leaves the amount to the engine (read from the chance).
    expect(rainyWeatherOf(forecastRow({ precipProb: 0.5, precipMm: null }))?.precipMm).toBeNull();
    expect(rainyWeatherOf(forecastRow({ precipProb: 0.31, precipMm: 0 }))).toMatchObject({
      precipProb: 1,
      precipMm: null,
    });
    expect(rainyWeatherOf(forecastRow({ precipProb: 0.1, precipMm: 0 }))).toBeNull();
  });
});

describe('assembleWeekPlan with a rain plan', () => {
  const saturday = { id: 'd-sat', marketId: 'm1', date: '2026-07-11' };
  const sunday = { id: 'd-sun', marketId: 'm1', date: '2026-07-12' };
  const inputs = (capacity: { units: number; period: 'week' | 'day' } | null): WeekPlanInputs => ({
    markets: [
      {
        id: 'm1',
        name: 'Riverside',
        timezone: 'America/Chicago',
        countryCode: 'US',
        regionCode: 'IL',
      },
    ],
    marketDays: [saturday, sunday],
    products: [
      {
        id: 'p1',
        name: 'Sourdough',
        unit: 'loaf',
        priceMinor: 800,
        unitCostMinor: 250,
        salvageValueMinor: 0,
        shelfLifeDays: 2,
        planning: capacity
          ? {
              batchSize: 1,
              standingMinimum: 0,
              marketMinimums: [],
              decisionDeadline: null,
              capacity,
            }
          : null,
      },
    ],
    preOrders: [],
    kept: [],
    keptInWeek: [],
    freezes: [],
  });
  const line = (quantity: number, quantiles: number[]): StoredPrepListLine => ({
    productId: 'p1',
    productName: 'Sourdough',
    unit: 'loaf',
    priceMinor: 800,
    unitCostMinor: 250,
    q10: quantiles[2] ?? 0,
    q50: quantiles[10] ?? 0,
    q90: quantiles[18] ?? 0,
    criticalRatio: 0.69,
    quantity,
    overrideQuantity: null,
    expectedSold: 0,
    expectedRevenueMinor: 0,
    modelRung: 'series',
    dataSufficiency: 'ok',
    explanation: null,
    demandQuantiles: quantiles,
  });
  const dry = uniform(30, 70);
  const wet = uniform(10, 40);
  const lines = new Map([
    [saturday.id, new Map([['p1', line(58, dry)]])],
    [sunday.id, new Map([['p1', line(58, dry)]])],
  ]);
  const rain = new Map<string, RainyDay>([
    [
      saturday.id,
      {
        forecast: { precipProb: 0.6, precipMm: 4 },
        lines: new Map([['p1', { demandQuantiles: wet, quantity: 31 }]]),
      },
    ],
  ]);
  const now = new Date('2026-07-08T12:00:00Z');

  it('re-plans the rainy day with the rainy forecast and prices the difference; the dry day has none', () => {
    const plan = assembleWeekPlan({
      inputs: inputs(null),
      lines,
      rain,
      from: '2026-07-06',
      to: '2026-07-12',
      now,
    });
    const [sat, sun] = plan.products[0]!.days;
    expect(sun!.rain).toBeNull();
    expect(sat!.make).toBe(58);
    const facts = { priceMinor: 800, unitCostMinor: 250, salvageValueMinor: 0 };
    const wetDay = { demandQuantiles: wet, preOrders: 0 };
    const ifRain = dayOutcome(wetDay, facts, 0, 31);
    const planned = dayOutcome({ demandQuantiles: dry, preOrders: 0 }, facts, 0, 58);
    expect(sat!.rain).toEqual({
      precipProb: 0.6,
      precipMm: 4,
      prepQuantity: 31,
      make: 31,
      bring: 31,
      expectedSold: Math.round(ifRain.sold * 1000) / 1000,
      expectedRevenueMinor: Math.round(ifRain.revenueMinor),
      expectedProfitMinor: Math.round(ifRain.profitMinor),
      revenueDifferenceMinor: Math.round(ifRain.revenueMinor) - Math.round(planned.revenueMinor),
      profitDifferenceMinor: Math.round(ifRain.profitMinor) - Math.round(planned.profitMinor),
      planProfitIfRainMinor: Math.round(dayOutcome(wetDay, facts, 0, 58).profitMinor),
    });
    // Rain costs money here, and bringing the dry plan into the rain would cost more.
    expect(sat!.rain!.profitDifferenceMinor).toBeLessThan(0);
    expect(sat!.rain!.planProfitIfRainMinor).toBeLessThan(sat!.rain!.expectedProfitMinor);
    expect(plan.marketDays.map((d) => d.rain)).toEqual([{ precipProb: 0.6, precipMm: 4 }, null]);
  });

  it('shares a capacity in the rain plan too: the rain frees oven room for the dry day', () => {
    const capacity = { units: 80, period: 'week' as const };
    const plan = assembleWeekPlan({
      inputs: inputs(capacity),
      lines,
      rain,
      from: '2026-07-06',
      to: '2026-07-12',
      now,
    });
    const [sat, sun] = plan.products[0]!.days;
    expect(sat!.make + sun!.make).toBeLessThanOrEqual(80);
    expect(sat!.cut + sun!.cut).toBeGreaterThan(0);
    // The same engine call as the plan, with the rainy Saturday.
    const expected = planProductWeek({
      facts: { ...facts(), capacity },
      days: [
        {
          key: saturday.id,
          date: saturday.date,
          demandQuantiles: wet,
          prepQuantity: 31,
          preOrders: 0,
          standingMinimum: 0,
        },
        {
          key: sunday.id,
          date: sunday.date,
          demandQuantiles: dry,
          prepQuantity: 58,
          preOrders: 0,
          standingMinimum: 0,
        },
      ],
    });
    expect(sat!.rain?.make).toBe(expected.days[0]!.make);
    expect(expected.days[0]!.make + expected.days[1]!.make).toBeLessThanOrEqual(80);
    // Sunday has no rain forecast, so it has no rain plan of its own even though Saturday's rain
    // would change what it gets.
    expect(sun!.rain).toBeNull();
  });

  it("never leaves at home what is already made: a rainy Sunday stocked by Saturday's leftover brings the same", () => {
    // Saturday (dry) is expected to leave about 20 loaves that keep to Sunday; Sunday's list wants
    // 18 dry and 12 if it rains, both covered by what Saturday leaves, so nothing is made for it.
    const sundayLines = new Map([
      [saturday.id, new Map([['p1', line(40, uniform(0, 40))]])],
      [sunday.id, new Map([['p1', line(18, uniform(5, 25))]])],
    ]);
    const wetSunday = uniform(2, 15);
    const plan = assembleWeekPlan({
      inputs: inputs(null),
      lines: sundayLines,
      rain: new Map<string, RainyDay>([
        [
          sunday.id,
          {
            forecast: { precipProb: 0.5, precipMm: 3 },
            lines: new Map([['p1', { demandQuantiles: wetSunday, quantity: 12 }]]),
          },
        ],
      ]),
      from: '2026-07-06',
      to: '2026-07-12',
      now,
    });
    const sun = plan.products[0]!.days[1]!;
    expect(sun.make).toBe(0);
    expect(sun.carriedExpected).toBe(18);
    // Bringing 12 of the 18 on hand would earn less in the rain than bringing all 18.
    const ifRain = dayOutcome({ demandQuantiles: wetSunday, preOrders: 0 }, facts(), 18, 0);
    expect(
      dayOutcome({ demandQuantiles: wetSunday, preOrders: 0 }, facts(), 12, 0).profitMinor,
    ).toBeLessThan(ifRain.profitMinor);
    expect(sun.rain).toMatchObject({
      prepQuantity: 12,
      make: 0,
      bring: 18,
      expectedRevenueMinor: Math.round(ifRain.revenueMinor),
      expectedProfitMinor: Math.round(ifRain.profitMinor),
      planProfitIfRainMinor: Math.round(ifRain.profitMinor),
      profitDifferenceMinor: Math.round(ifRain.profitMinor) - sun.expectedProfitMinor,
    });
    expect(sun.rain!.profitDifferenceMinor).toBeLessThan(0);
  });

  it('says nothing on a dry week', () => {
    const plan = assembleWeekPlan({
      inputs: inputs(null),
      lines,
      from: '2026-07-06',
      to: '2026-07-12',
      now,
    });
    expect(plan.products[0]!.days.every((d) => d.rain === null)).toBe(true);
    expect(plan.marketDays.every((d) => d.rain === null)).toBe(true);
  });
});

function facts() {
  return {
    priceMinor: 800,
    unitCostMinor: 250,
    salvageValueMinor: 0,
    batchSize: 1,
    shelfLifeDays: 2,
  };
}
