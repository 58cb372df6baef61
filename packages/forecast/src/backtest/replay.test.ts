import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from '../calendar-dates';
import type { SalesObservation } from '../types';
import {
  replayDelta,
  replayDemand,
  replaySeason,
  scoreReplayDay,
  sumReplayDays,
  type ReplayEconomics,
} from './replay';

// Price $5.00, cost $2.00, salvage $0.50 (cents): a leftover loses 150, a missed sale 300.
const money: ReplayEconomics = { price: 500, unitCost: 200, salvageValue: 50 };
const exact = (sold: number) => ({ low: sold, point: sold, high: sold, censored: false });

describe('replay money, by hand', () => {
  it('one leftover-heavy day, one sell-out day, one day without "brought"', () => {
    // A: sold 9 (not sold out). MarketPrep 10, rule 14, brought 12.
    const a = scoreReplayDay({
      date: '2026-06-06',
      market: 'm',
      product: 'bread',
      engineQuantity: 10,
      ruleQuantity: 14,
      brought: 12,
      sold: 9,
      demand: exact(9),
      economics: money,
    });
    // Waste: MarketPrep 1 x 150; rule 5 x 150; brought 3 x 150.
    expect(a.vsRule).toEqual({ wasteAvoided: 600, salesRecovered: 0, net: 600 });
    expect(a.vsBrought).toEqual({ wasteAvoided: 300, salesRecovered: 0, net: 300 });
    expect(a.vsBroughtRange).toEqual({ low: 300, high: 300 });

    // B: brought 8, sold all 8: demand at least 8, best guess 12, up to 16. MarketPrep 13, rule 8.
    const b = scoreReplayDay({
      date: '2026-06-13',
      market: 'm',
      product: 'bread',
      engineQuantity: 13,
      ruleQuantity: 8,
      brought: 8,
      sold: 8,
      demand: { low: 8, point: 12, high: 16, censored: true },
      economics: money,
    });
    // At 12: MarketPrep leaves 1 (150), brought misses 4 (1,200).
    expect(b.vsBrought).toEqual({ wasteAvoided: -150, salesRecovered: 1200, net: 1050 });
    // Demand 8: MarketPrep leaves 5 (-750). Demand 13 to 16: brought misses 5..8, MarketPrep 0..3:
    // net 1,500 at every demand from 13 up.
    expect(b.vsBroughtRange).toEqual({ low: -750, high: 1500 });
    expect(b.vsRule.net).toBe(1050);

    // C: no check-in: compared to the rule only. Sold 6; MarketPrep 5 misses 1, rule 3 misses 3.
    const c = scoreReplayDay({
      date: '2026-06-13',
      market: 'm',
      product: 'jam',
      engineQuantity: 5,
      ruleQuantity: 3,
      brought: null,
      sold: 6,
      demand: exact(6),
      economics: money,
    });
    expect(c.vsRule).toEqual({ wasteAvoided: 0, salesRecovered: 600, net: 600 });
    expect(c.vsBrought).toBeNull();

    const totals = sumReplayDays([a, b, c]);
    expect(totals.days).toBe(2);
    expect(totals.productDays).toBe(3);
    expect(totals.censoredProductDays).toBe(1);
    expect(totals.vsRule).toEqual({
      wasteAvoided: 600 - 150,
      salesRecovered: 1200 + 600,
      net: 2250,
      netLow: 600 - 750 + 600,
      netHigh: 600 + 1500 + 600,
    });
    expect(totals.vsBrought).toEqual({
      wasteAvoided: 150,
      salesRecovered: 1200,
      net: 1350,
      netLow: 300 - 750,
      netHigh: 300 + 1500,
      productDays: 2,
    });
  });

  it('salvage worth more than cost wastes nothing; net is profit difference', () => {
    const d = replayDelta(10, 6, 8, { price: 400, unitCost: 100, salvageValue: 150 });
    // 2 leftovers cost nothing; 2 missed sales x 300.
    expect(d).toEqual({ wasteAvoided: 0, salesRecovered: 600, net: 600 });
  });

  it('censored demand: at least what sold, more the earlier the sell-out, never below', () => {
    const forecast = { q10: 6, q50: 10, q90: 14 };
    const late = replayDemand(
      { date: 'x', market: 'm', product: 'p', quantity: 9, brought: 9 },
      forecast,
    );
    expect(late.censored).toBe(true);
    expect(late.low).toBe(9);
    expect(late.point).toBeGreaterThan(10);
    expect(late.high).toBe(14);
    const early = replayDemand(
      {
        date: 'x',
        market: 'm',
        product: 'p',
        quantity: 9,
        brought: 9,
        soldOutAt: '10:00',
        opensAt: '08:00',
        closesAt: '12:00',
      },
      forecast,
    );
    // Sold out half way through: at least 18.
    expect(early.low).toBe(18);
    expect(early.point).toBeGreaterThanOrEqual(18);
    const open = replayDemand(
      { date: 'x', market: 'm', product: 'p', quantity: 7, brought: 9 },
      forecast,
    );
    expect(open).toEqual({ low: 7, point: 7, high: 7, censored: false });
  });
});

describe('replaySeason', () => {
  it('replays the last weeks without look-ahead, with progress, totals = sum of days', () => {
    const sales: SalesObservation[] = [];
    const start = toDayNumber('2025-06-07'); // a Saturday
    for (let week = 0; week < 60; week++) {
      const date = fromDayNumber(start + 7 * week);
      const bread = 30 + (week % 5);
      sales.push({ date, market: 'm', product: 'bread', quantity: bread, brought: bread + 4 });
      // Jam sells out every fourth week; no check-in on the others.
      sales.push(
        week % 4 === 0
          ? { date, market: 'm', product: 'jam', quantity: 10, brought: 10 }
          : { date, market: 'm', product: 'jam', quantity: 8 + (week % 3) },
      );
    }
    const progress: number[] = [];
    const from = fromDayNumber(start + 7 * 52);
    const result = replaySeason({
      sales,
      products: [
        { product: 'bread', price: 600, unitCost: 150, salvageValue: 0 },
        { product: 'jam', price: 800, unitCost: 300, salvageValue: 100 },
        { product: 'no-price' },
      ],
      from,
      to: fromDayNumber(start + 7 * 59),
      onProgress: (done) => progress.push(done),
    });
    expect(result.days).toHaveLength(16);
    expect(result.trainings).toBe(8);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const sum = (pick: (d: (typeof result.days)[number]) => number) =>
      result.days.reduce((total, d) => total + pick(d), 0);
    expect(result.totals.vsRule.net).toBeCloseTo(
      sum((d) => d.vsRule.net),
      6,
    );
    expect(result.totals.vsBrought.net).toBeCloseTo(
      sum((d) => d.vsBrought?.net ?? 0),
      6,
    );
    expect(result.totals.vsBrought.productDays).toBe(
      result.days.filter((d) => d.brought !== null).length,
    );
    expect(
      result.days
        .filter((d) => d.product === 'jam' && d.brought === null)
        .every((d) => d.vsBrought === null),
    ).toBe(true);
    expect(result.days.some((d) => d.demand.censored)).toBe(true);
    for (const day of result.days) {
      expect(day.demand.low).toBeLessThanOrEqual(day.demand.point);
      expect(day.vsRuleRange.low).toBeLessThanOrEqual(day.vsRule.net + 1e-9);
      expect(day.vsRuleRange.high).toBeGreaterThanOrEqual(day.vsRule.net - 1e-9);
    }
  }, 60_000);
});
