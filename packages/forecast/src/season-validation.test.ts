import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from './calendar-dates';
import { createRandom } from './testing/synthetic-vendor';
import { trainDemandModel } from './train';
import type { SalesObservation } from './types';

/**
 * A Saturday market with 18 months of history. With `season`, summer sells twice what winter does,
 * every year. Without, sales are flat, except that the first summer happened to be busy (a
 * construction site next door): one year's wave that the next year does not repeat.
 */
function saturdays(season: boolean): SalesObservation[] {
  const random = createRandom(11);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const sales: SalesObservation[] = [];
  const first = toDayNumber('2022-05-07'); // a Saturday
  for (let d = first; d <= toDayNumber('2023-11-04'); d += 7) {
    const date = fromDayNumber(d);
    // 1 in mid-July, -1 in mid-January.
    const summer = Math.cos((2 * Math.PI * (d - toDayNumber('2022-07-15'))) / 365.25);
    const firstSummerOnly = date >= '2022-06-01' && date <= '2022-09-30' ? 0.5 : 0;
    const lift = season ? Math.exp(0.35 * summer) : Math.exp(firstSummerOnly);
    for (const [product, level] of [
      ['tomatoes', 60],
      ['lettuce', 35],
      ['eggs', 45],
    ] as const) {
      sales.push({
        date,
        market: 'saturday',
        product,
        quantity: Math.round(level * lift * Math.exp(0.15 * normal())),
      });
    }
  }
  return sales;
}

describe('a season seen in the first two years must earn its place', () => {
  it('keeps a season that the second year repeats', () => {
    const model = trainDemandModel({ sales: saturdays(true), trainThrough: '2023-11-04' });
    expect(model.spec.season).toBe(true);
  });

  it("drops one summer's bump that the second year does not repeat", () => {
    const model = trainDemandModel({ sales: saturdays(false), trainThrough: '2023-11-04' });
    expect(model.spec.season).toBe(false);
  });
});
