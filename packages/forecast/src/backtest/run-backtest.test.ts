import { describe, expect, it } from 'vitest';
import { createSyntheticVendor } from '../testing/synthetic-vendor';
import type { SalesObservation } from '../types';
import { runBacktest } from './run-backtest';

const vendor = createSyntheticVendor({
  seed: 5,
  products: 3,
  markets: 1,
  start: '2022-01-01',
  days: 330,
  weekdays: [1, 5],
});

describe('runBacktest', () => {
  it('forecasts every sales row from the start date, beating a noisy rule on structured data', () => {
    const result = runBacktest({
      sales: vendor.sales,
      covariates: vendor.covariates,
      from: '2022-10-01',
    });
    const expectedRows = vendor.sales.filter((s) => s.date >= '2022-10-01').length;
    expect(result.predictions).toHaveLength(expectedRows);
    expect(result.score.rows).toBe(expectedRows);
    expect(result.score.relativePinball).toBeLessThan(1);
    expect(result.score.engine.coverage).toBeGreaterThan(0.6);
  });

  it('keeps one weekday with --weekday', () => {
    const result = runBacktest({
      sales: vendor.sales,
      covariates: vendor.covariates,
      from: '2022-10-01',
      weekday: 5,
    });
    expect(result.predictions.length).toBeGreaterThan(0);
    for (const p of result.predictions) expect(new Date(`${p.date}T00:00:00Z`).getUTCDay()).toBe(6);
  });

  it('never looks ahead: changing sales after X leaves every forecast up to X unchanged', () => {
    const cut = '2022-10-20';
    const altered: SalesObservation[] = vendor.sales.map((s) =>
      s.date > cut ? { ...s, quantity: s.quantity * 5 + 50 } : s,
    );
    const options = { covariates: vendor.covariates, from: '2022-10-01', to: '2022-11-30' };
    const original = runBacktest({ sales: vendor.sales, ...options });
    const changed = runBacktest({ sales: altered, ...options });
    const upTo = (r: typeof original): unknown[] =>
      r.predictions
        .filter((p) => p.date <= cut)
        .map(({ date, market, product, q10, q50, q90, recommended, model, rule }) => ({
          date,
          market,
          product,
          q10,
          q50,
          q90,
          recommended,
          model,
          rule,
        }));
    expect(upTo(original).length).toBeGreaterThan(10);
    expect(upTo(changed)).toEqual(upTo(original));
    const after = (r: typeof original): number[] =>
      r.predictions.filter((p) => p.date > '2022-10-25').map((p) => p.q50);
    expect(after(changed)).not.toEqual(after(original));
  });

  it('survives gaps, zeros, missing covariates and a series that starts late', () => {
    const sales: SalesObservation[] = [
      ...vendor.sales.filter((s) => !(s.date > '2022-06-01' && s.date < '2022-07-15')),
      { date: '2022-11-01', market: 'market-0', product: 'late', quantity: 0 },
      { date: '2022-11-05', market: 'market-0', product: 'late', quantity: 4 },
      { date: '2022-11-08', market: 'market-0', product: 'late', quantity: 6 },
    ];
    const result = runBacktest({ sales, from: '2022-10-01' });
    expect(
      result.predictions.every((p) => [p.q10, p.q50, p.q90, p.recommended].every(Number.isFinite)),
    ).toBe(true);
    const late = result.predictions.filter((p) => p.product === 'late');
    expect(late.map((p) => p.model)).toEqual(['cold-start', 'thin', 'thin']);
  });
});
