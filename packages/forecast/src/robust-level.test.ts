import { describe, expect, it } from 'vitest';
import { addDays, fromDayNumber, toDayNumber } from './calendar-dates';
import { finalLevel } from './models/pooled';
import { predictDemand } from './predict';
import { createRandom } from './testing/synthetic-vendor';
import { trainDemandModel } from './train';
import type { SalesObservation } from './types';

describe('finalLevel', () => {
  it('follows a new level: two residuals past the clip on the same side count in full', () => {
    const shifted = [0, 0, 0, 0, 0, 0, 3, 3];
    expect(finalLevel(shifted, 4, shifted.length, 0.4)).toBeCloseTo(finalLevel(shifted, 4), 12);
    // Past the clip on opposite sides: two spikes, both cut.
    const spikes = [0, 0, 0, 0, 0, 0, 3, -3];
    expect(finalLevel(spikes, 4, spikes.length, 0.4)).toBeCloseTo(
      finalLevel([0, 0, 0, 0, 0, 0, 0.4, -0.4], 4),
      12,
    );
  });

  it('lets a clipped residual move the level no more than the clip', () => {
    const values = [0, 0, 0, 0, 0, 0, 0, 3];
    expect(finalLevel(values, 4)).toBeGreaterThan(0.5);
    expect(finalLevel(values, 4, values.length, 0.4)).toBeCloseTo(
      finalLevel([0, 0, 0, 0, 0, 0, 0, 0.4], 4),
      12,
    );
  });
});

/**
 * Two years of a product whose level wanders (so a short level half-life is right) with a one-off
 * order now and then (four times a normal day, one day in twenty): the level the forecast stands
 * on should follow the wander, not jump after each order.
 */
function withOneOffOrders(): SalesObservation[] {
  const random = createRandom(5);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const sales: SalesObservation[] = [];
  const start = toDayNumber('2022-01-03');
  let level = Math.log(40);
  for (let d = start; d < start + 730; d++) {
    level += 0.04 * normal() - 0.02 * (level - Math.log(40));
    const spike = random() < 1 / 20 ? 4 : 1;
    sales.push({
      date: fromDayNumber(d),
      market: 'shop',
      product: 'pies',
      quantity: Math.round(spike * Math.exp(level + 0.1 * normal())),
    });
  }
  // The last day of history is a one-off order.
  const last = sales[sales.length - 1];
  if (last) sales[sales.length - 1] = { ...last, quantity: 160 };
  return sales;
}

describe('robust level', () => {
  it('does not follow a one-off order into the next days', () => {
    const sales = withOneOffOrders();
    const lastDate = sales[sales.length - 1]?.date ?? '';
    const before = trainDemandModel({ sales, trainThrough: addDays(lastDate, -1) });
    const after = trainDemandModel({ sales, trainThrough: lastDate });
    const p50 = (model: typeof before) =>
      predictDemand({
        model,
        requests: [{ date: addDays(lastDate, 7), market: 'shop', product: 'pies' }],
      })[0]?.p50 ?? 0;
    // Measured: x1.12 with the clipped level, x1.18 with every residual counted in full.
    expect(p50(after) / p50(before)).toBeLessThan(1.15);
  });
});
