import { describe, expect, it } from 'vitest';
import { addDays } from './calendar-dates';
import { predictDemand } from './predict';
import { deserializeModel, serializeModel } from './serialize';
import { createRandom, createSyntheticVendor } from './testing/synthetic-vendor';
import { trainDemandModel } from './train';
import type { PlanRequest, SalesObservation } from './types';

const vendor = createSyntheticVendor({
  seed: 7,
  products: 4,
  markets: 2,
  start: '2022-01-01',
  days: 420,
  weekdays: [2, 5],
});
const model = trainDemandModel({ sales: vendor.sales, covariates: vendor.covariates });
const planDate = addDays(model.trainedThrough, 3);
const requests: PlanRequest[] = ['market-0', 'market-1'].flatMap((market) =>
  [0, 1, 2, 3].map((p) => ({ date: planDate, market, product: `product-${p}` })),
);

describe('trainDemandModel + predictDemand', () => {
  it('uses the pooled rung for products with history and learns the Saturday lift', () => {
    const saturday = '2023-02-25';
    const wednesday = '2023-02-22';
    const [sat, wed] = predictDemand({
      model,
      requests: [
        { date: saturday, market: 'market-0', product: 'product-0' },
        { date: wednesday, market: 'market-0', product: 'product-0' },
      ],
    });
    expect(sat?.rung).toBe('pooled');
    expect(sat?.dataSufficiency).toBe('rich');
    expect((sat?.p50 ?? 0) / (wed?.p50 ?? 1)).toBeGreaterThan(1.25);
    expect((sat?.p50 ?? 0) / (wed?.p50 ?? 1)).toBeLessThan(1.8);
  });

  it('learns that rain lowers sales', () => {
    const date = '2023-02-25';
    const forecast = (precip: number): number =>
      predictDemand({
        model,
        requests: [{ date, market: 'market-1', product: 'product-2' }],
        covariates: [{ date, market: 'market-1', weather: { temp_c: 10, precip_mm: precip } }],
      })[0]?.p50 ?? 0;
    expect(forecast(8)).toBeLessThan(forecast(0) * 0.92);
  });

  it('is deterministic and predicts identically from a JSON round-tripped model', () => {
    const again = trainDemandModel({ sales: vendor.sales, covariates: vendor.covariates });
    expect(serializeModel(again)).toBe(serializeModel(model));
    const reloaded = deserializeModel(serializeModel(model));
    expect(predictDemand({ model: reloaded, requests })).toEqual(
      predictDemand({ model, requests }),
    );
    expect(() => deserializeModel('{"formatVersion":0}')).toThrow(/demand model/);
  });

  it('keeps its promises on every forecast (seeded property loop)', () => {
    const random = createRandom(11);
    for (let trial = 0; trial < 60; trial++) {
      const date = addDays('2023-01-01', Math.floor(random() * 120));
      const market = `market-${Math.floor(random() * 2)}`;
      const product = `product-${Math.floor(random() * 5)}`; // product-4 is a cold start
      const covariates = [
        {
          date,
          market,
          weather: { temp_c: -5 + 35 * random(), precip_mm: random() < 0.5 ? 0 : 20 * random() },
          flags: { is_holiday: random() < 0.2 },
        },
      ];
      const ratios = [0.05, 0.2, 0.5, 0.7, 0.9, 0.95];
      const forecasts = ratios.map(
        (criticalRatio) =>
          predictDemand({
            model,
            requests: [{ date, market, product }],
            covariates,
            criticalRatio,
          })[0],
      );
      let previousQuantity = -1;
      for (const f of forecasts) {
        if (!f) throw new Error('missing forecast');
        expect(f.p10).toBeLessThanOrEqual(f.p50);
        expect(f.p50).toBeLessThanOrEqual(f.p90);
        expect(f.p10).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(f.recommendedQuantity)).toBe(true);
        expect(f.recommendedQuantity).toBeGreaterThanOrEqual(0);
        expect(f.recommendedQuantity).toBeGreaterThanOrEqual(previousQuantity);
        previousQuantity = f.recommendedQuantity;
        expect(f.expectedSold).toBeLessThanOrEqual(f.recommendedQuantity + 1e-9);
        const { explanation } = f;
        const total = explanation.effects.reduce((sum, e) => sum + e.units, explanation.baseline);
        expect(total).toBeCloseTo(f.p50, 8);
        let running = explanation.baseline;
        for (const effect of explanation.effects) {
          // Each effect moves the P50 the way its sign says, from where the earlier ones left it.
          expect(running + effect.units).toBeGreaterThanOrEqual(-1e-9);
          if (running > 0) expect(effect.percent).toBeCloseTo((100 * effect.units) / running, 6);
          running += effect.units;
        }
      }
    }
  });

  it('answers a new product with a wide cold start, and uses the stated expectation', () => {
    const [known, cold, stated] = predictDemand({
      model,
      requests: [
        { date: planDate, market: 'market-0', product: 'product-0' },
        { date: planDate, market: 'market-0', product: 'new-bread' },
        { date: planDate, market: 'market-0', product: 'new-cake' },
      ],
      products: [{ product: 'new-cake', expectedQuantity: 60 }],
    });
    expect(cold?.rung).toBe('cold-start');
    expect(cold?.dataSufficiency).toBe('none');
    const width = (f: typeof cold): number => Math.log1p(f?.p90 ?? 0) - Math.log1p(f?.p10 ?? 0);
    expect(width(cold)).toBeGreaterThan(width(known) * 1.5);
    expect(stated?.explanation.baseline).toBeCloseTo(60, 6);
  });

  it('uses the thin rung for a product with a few market days', () => {
    const extra: SalesObservation[] = [
      { date: '2023-02-08', market: 'market-0', product: 'jam', quantity: 12 },
      { date: '2023-02-11', market: 'market-0', product: 'jam', quantity: 20 },
      { date: '2023-02-15', market: 'market-0', product: 'jam', quantity: 14 },
    ];
    const withJam = trainDemandModel({
      sales: [...vendor.sales, ...extra],
      covariates: vendor.covariates,
    });
    const [jam] = predictDemand({
      model: withJam,
      requests: [{ date: planDate, market: 'market-0', product: 'jam' }],
    });
    expect(jam?.rung).toBe('thin');
    expect(jam?.dataSufficiency).toBe('thin');
    expect(jam?.p50).toBeGreaterThan(8);
    expect(jam?.p50).toBeLessThan(30);
  });

  it('forecasts nothing on a day the calendar marks closed', () => {
    const [closed] = predictDemand({
      model,
      requests: [{ date: planDate, market: 'market-0', product: 'product-0' }],
      covariates: [{ date: planDate, market: 'market-0', flags: { is_closed: true } }],
    });
    expect(closed?.rung).toBe('closed');
    expect([closed?.p10, closed?.p50, closed?.p90, closed?.recommendedQuantity]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('prices the newsvendor quantity from the product economics and reports revenue', () => {
    const request = { date: planDate, market: 'market-0', product: 'product-1' };
    const [generous] = predictDemand({
      model,
      requests: [request],
      products: [{ product: 'product-1', price: 10, unitCost: 1 }],
    });
    const [tight] = predictDemand({
      model,
      requests: [request],
      products: [{ product: 'product-1', price: 10, unitCost: 8 }],
    });
    expect(generous?.criticalRatio).toBeCloseTo(0.9, 12);
    expect(tight?.criticalRatio).toBeCloseTo(0.2, 12);
    expect(generous?.recommendedQuantity).toBeGreaterThan(tight?.recommendedQuantity ?? 0);
    expect(generous?.expectedRevenue).toBeCloseTo((generous?.expectedSold ?? 0) * 10, 9);
  });

  it("packs a product without its cost like the vendor's others (their median ratio)", () => {
    const [uncosted] = predictDemand({
      model,
      requests: [{ date: planDate, market: 'market-0', product: 'product-1' }],
      products: [
        { product: 'product-0', price: 10, unitCost: 3 },
        { product: 'product-1', price: 26 },
        { product: 'product-2', price: 10, unitCost: 2 },
      ],
    });
    expect(uncosted?.criticalRatio).toBeCloseTo(0.75, 12);
  });
});

describe('censored sell-outs', () => {
  it('gives a series whose sell-outs are censored a higher P50 than the same numbers read as sales', () => {
    const random = createRandom(3);
    const plain: SalesObservation[] = [];
    const censored: SalesObservation[] = [];
    for (let week = 0; week < 60; week++) {
      const date = addDays('2023-01-07', 7 * week);
      const demand = Math.round(30 * Math.exp(0.3 * (random() - 0.5)));
      const brought = 28;
      const quantity = Math.min(demand, brought);
      plain.push({ date, market: 'm', product: 'pie', quantity });
      censored.push({ date, market: 'm', product: 'pie', quantity, brought });
    }
    expect(censored.filter((s) => s.quantity >= 28).length).toBeGreaterThan(10);
    const date = addDays(plain[plain.length - 1]?.date ?? '2024-01-01', 7);
    const p50 = (sales: SalesObservation[]): number => {
      const trained = trainDemandModel({ sales });
      return (
        predictDemand({ model: trained, requests: [{ date, market: 'm', product: 'pie' }] })[0]
          ?.p50 ?? 0
      );
    };
    const fromPlain = p50(plain);
    const fromCensored = p50(censored);
    expect(fromCensored).toBeGreaterThan(fromPlain);
    const [explained] = predictDemand({
      model: trainDemandModel({ sales: censored }),
      requests: [{ date, market: 'm', product: 'pie' }],
    });
    const sellOuts = explained?.explanation.effects.find((e) => e.name === 'recent-sell-outs');
    expect(sellOuts?.units).toBeGreaterThan(0);
    expect(sellOuts?.support).toBeGreaterThan(0);
  });

  it('treats a sell-out well before close as censored, more so the earlier it came', () => {
    const random = createRandom(4);
    const days = Array.from({ length: 60 }, (_, week) => ({
      date: addDays('2023-01-07', 7 * week),
      quantity: Math.round(30 * Math.exp(0.3 * (random() - 0.5))),
      soldOut: random() < 0.4,
    }));
    const sales = (fraction: number | undefined): SalesObservation[] =>
      days.map(({ date, quantity, soldOut }) =>
        soldOut && fraction !== undefined
          ? { date, market: 'm', product: 'pie', quantity, soldOutFractionOfDay: fraction }
          : { date, market: 'm', product: 'pie', quantity },
      );
    const date = addDays(days[days.length - 1]?.date ?? '2024-01-01', 7);
    const p50 = (list: SalesObservation[]): number =>
      predictDemand({
        model: trainDemandModel({ sales: list }),
        requests: [{ date, market: 'm', product: 'pie' }],
      })[0]?.p50 ?? 0;
    const plain = p50(sales(undefined));
    const atClose = p50(sales(0.97));
    const late = p50(sales(0.85));
    const early = p50(sales(0.4));
    // Selling out in the last minutes of the day is not censoring.
    expect(atClose).toBe(plain);
    expect(late).toBeGreaterThan(plain);
    expect(early).toBeGreaterThan(late);
  });
});
