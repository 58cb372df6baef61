import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar-dates';
import { predictDemand } from '../predict';
import { deserializeModel, serializeModel } from '../serialize';
import { createRandom } from '../testing/synthetic-vendor';
import { trainDemandModel } from '../train';
import type { SalesObservation } from '../types';
import { advanceDemandModel } from './advance';

/**
 * A stall open every day for 400 days whose trade wanders (a random walk on the log scale, as
 * footfall does), and from `shiftFrom` on sells twice as much (a new pitch).
 */
function stall(shiftFrom = '9999-12-31'): SalesObservation[] {
  const random = createRandom(3);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const sales: SalesObservation[] = [];
  let wander = 0;
  for (let i = 0; i < 400; i++) {
    const date = addDays('2024-01-01', i);
    wander += 0.06 * normal();
    const lift = (date >= shiftFrom ? 2 : 1) * Math.exp(wander);
    for (const [product, level] of [
      ['loaf', 40],
      ['rolls', 90],
    ] as const) {
      const quantity = Math.round(level * lift * Math.exp(0.08 * normal()));
      sales.push({ date, market: 'stall', product, quantity });
    }
  }
  return sales;
}

const p50 = (model: ReturnType<typeof trainDemandModel>, date: string, product = 'rolls') =>
  predictDemand({ model, requests: [{ date, market: 'stall', product }] })[0]?.p50 ?? 0;

describe('advanceDemandModel', () => {
  const sales = stall('2024-12-01');
  const model = trainDemandModel({ sales, trainThrough: '2024-11-30' });

  it('changes nothing without sales after the training', () => {
    expect(advanceDemandModel({ model, sales: sales.filter((s) => s.date <= '2024-11-30') })).toBe(
      model,
    );
  });

  it('follows a level shift in the days since the training, as a retrain would', () => {
    const seen = sales.filter((s) => s.date <= '2024-12-06');
    const advanced = advanceDemandModel({ model, sales: seen });
    const retrained = trainDemandModel({ sales: seen, trainThrough: '2024-12-06' });
    expect(advanced.advancedThrough).toBe('2024-12-06');
    expect(advanced.trainedThrough).toBe('2024-11-30');
    const stale = p50(model, '2024-12-07');
    const fresh = p50(advanced, '2024-12-07');
    const refit = p50(retrained, '2024-12-07');
    // Sales doubled on Dec 1: the advanced model sees most of it, as the retrained one does.
    expect(fresh / stale).toBeGreaterThan(1.5);
    expect(Math.abs(fresh - refit) / refit).toBeLessThan(0.15);
  });

  it('goes on from where it stopped: two steps equal one', () => {
    const once = advanceDemandModel({ model, sales: sales.filter((s) => s.date <= '2024-12-06') });
    const first = advanceDemandModel({
      model,
      sales: sales.filter((s) => s.date <= '2024-12-03'),
    });
    const twice = advanceDemandModel({
      model: first,
      sales: sales.filter((s) => s.date <= '2024-12-06'),
    });
    expect(twice.series).toEqual(once.series);
  });

  it('reads a sell-out as demand above what sold', () => {
    const soldOut = sales
      .filter((s) => s.date <= '2024-11-30')
      .concat({
        date: '2024-12-01',
        market: 'stall',
        product: 'loaf',
        quantity: 40,
        soldOut: true,
        soldOutFractionOfDay: 0.4,
      });
    const normal = soldOut.map((s) =>
      s.date === '2024-12-01'
        ? { date: s.date, market: s.market, product: s.product, quantity: 40 }
        : s,
    );
    const withSellOut = advanceDemandModel({ model, sales: soldOut });
    const without = advanceDemandModel({ model, sales: normal });
    expect(p50(withSellOut, '2024-12-02', 'loaf')).toBeGreaterThan(
      p50(without, '2024-12-02', 'loaf'),
    );
  });

  it('survives storing the model as JSON (a level without a clip included)', () => {
    const stored = deserializeModel(serializeModel(model));
    const seen = sales.filter((s) => s.date <= '2024-12-04');
    expect(advanceDemandModel({ model: stored, sales: seen }).series).toEqual(
      advanceDemandModel({ model, sales: seen }).series,
    );
  });
});
