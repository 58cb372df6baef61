import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber, weekdayOfDay } from './calendar-dates';
import { predictDemand } from './predict';
import { createRandom } from './testing/synthetic-vendor';
import { relativeValidationLoss, trainDemandModel } from './train';
import type { SalesObservation } from './types';

/**
 * A bakery open every day for three years. With `sundaySwing`, Sundays are 1.1 x a weekday in
 * August and 1.7 x in February (people bake less at home in summer, go out more); without, Sundays
 * are 1.4 x all year. Every day also follows the same mild yearly wave.
 */
function bakery(sundaySwing: boolean): SalesObservation[] {
  const random = createRandom(5);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const sales: SalesObservation[] = [];
  const start = toDayNumber('2021-01-01');
  for (let d = start; d < start + 365 * 3; d++) {
    const date = fromDayNumber(d);
    // 1 in mid-February, -1 in mid-August.
    const winter = Math.cos((2 * Math.PI * (d - toDayNumber('2021-02-14'))) / 365.25);
    const sunday = weekdayOfDay(d) === 6;
    const sundayLift = sundaySwing ? Math.exp(0.255 + 0.21 * winter) : 1.4;
    const lift = (sunday ? sundayLift : 1) * Math.exp(0.1 * winter);
    for (const [product, level] of [
      ['bread', 50],
      ['rolls', 140],
      ['cake', 25],
    ] as const) {
      const quantity = Math.round(level * lift * Math.exp(0.12 * normal()));
      sales.push({ date, market: 'shop', product, quantity });
    }
  }
  return sales;
}

const forecast = (model: ReturnType<typeof trainDemandModel>, date: string) =>
  predictDemand({ model, requests: [{ date, market: 'shop', product: 'rolls' }] })[0]?.p50 ?? 0;

describe('weekday x season, chosen by validation', () => {
  it('learns that winter Sundays are bigger than summer ones when the sales say so', () => {
    const model = trainDemandModel({ sales: bakery(true), trainThrough: '2023-10-31' });
    expect(model.spec.weekdaySeason).toBe(true);
    // February 2024: a Sunday and the Thursday before it; August 2024 likewise.
    const february = forecast(model, '2024-02-11') / forecast(model, '2024-02-08');
    const august = forecast(model, '2024-08-11') / forecast(model, '2024-08-08');
    expect(february).toBeGreaterThan(1.55);
    expect(august).toBeLessThan(1.25);
  });

  it('keeps one weekday pattern for the whole year when there is no swing', () => {
    const model = trainDemandModel({ sales: bakery(false), trainThrough: '2023-10-31' });
    expect(model.spec.weekdaySeason).not.toBe(true);
    const february = forecast(model, '2024-02-11') / forecast(model, '2024-02-08');
    const august = forecast(model, '2024-08-11') / forecast(model, '2024-08-08');
    expect(Math.abs(february - august)).toBeLessThan(0.12);
  });

  it('is not tried for a market held on one weekday (the season alone says it all)', () => {
    const sales = bakery(true).filter((sale) => weekdayOfDay(toDayNumber(sale.date)) === 5);
    const model = trainDemandModel({ sales, trainThrough: '2023-10-31' });
    expect(model.spec.weekdaySeason).not.toBe(true);
  });

  it('is not tried on less than two years of history', () => {
    const sales = bakery(true).filter((sale) => sale.date >= '2022-06-01');
    const model = trainDemandModel({ sales, trainThrough: '2023-10-31' });
    expect(model.spec.weekdaySeason).not.toBe(true);
  });
});

describe('relativeValidationLoss', () => {
  const row = (key: string, residual: number) => ({ key, fold: 0, residual, zeroMass: 0 });

  it('weighs each series in units of its own reference error', () => {
    const reference = [row('a', 0.1), row('a', -0.1), row('b', 1), row('b', -1)];
    // Halving the small series' errors counts as much as halving the big one's.
    const smallBetter = [row('a', 0.05), row('a', -0.05), row('b', 1), row('b', -1)];
    const bigBetter = [row('a', 0.1), row('a', -0.1), row('b', 0.5), row('b', -0.5)];
    expect(relativeValidationLoss(smallBetter, reference)).toBeCloseTo(0.75);
    expect(relativeValidationLoss(bigBetter, reference)).toBeCloseTo(0.75);
    expect(relativeValidationLoss(reference, reference)).toBe(1);
  });

  it('ignores zero-sale rows, which carry no residual', () => {
    const reference = [row('a', 0.2), { key: 'a', fold: 0, residual: undefined, zeroMass: 0.3 }];
    expect(relativeValidationLoss([row('a', 0.1)], reference)).toBeCloseTo(0.5);
  });
});
