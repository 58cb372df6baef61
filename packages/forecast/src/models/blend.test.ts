import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from '../calendar-dates';
import { predictDemand } from '../predict';
import { deserializeModel, serializeModel } from '../serialize';
import { ENGINE_SETTINGS, trainDemandModel } from '../train';
import type { SalesObservation } from '../types';
import { createRandom } from '../testing/synthetic-vendor';
import { sameWeekdayMedian } from './calibrate';
import { MODEL_FORMAT_VERSION } from './demand-model';

describe('sameWeekdayMedian (the robust baseline)', () => {
  it('takes the median of the last values of the forecast day’s weekday known so far', () => {
    const monday = toDayNumber('2024-01-01');
    // Mondays and Tuesdays alternate; only the first 6 entries are known.
    const days = [0, 1, 7, 8, 14, 15, 21, 22].map((d) => monday + d);
    const values = [1, 10, 2, 20, 3, 30, 100, 100];
    expect(sameWeekdayMedian(days, values, 6, monday + 21, 2)).toBe(2.5);
    expect(sameWeekdayMedian(days, values, 6, monday + 22, 3)).toBe(20);
    expect(sameWeekdayMedian(days, values, 6, monday + 23, 4)).toBeNaN();
  });
});

/** Two weekly series (Saturdays) whose level moves in steps no covariate explains. */
function steppingWeekly(): SalesObservation[] {
  const random = createRandom(11);
  const start = toDayNumber('2022-01-01');
  const sales: SalesObservation[] = [];
  for (let week = 0; week < 110; week++) {
    const level = 40 * (1 + 0.5 * Math.sign(Math.sin(week / 6)));
    for (const product of ['bread', 'jam']) {
      const noise = Math.exp(0.1 * (random() - 0.5));
      sales.push({
        date: fromDayNumber(start + 7 * week),
        market: 'square',
        product,
        quantity: Math.round((product === 'jam' ? 0.5 : 1) * level * noise),
      });
    }
  }
  return sales;
}

describe('blend with the robust baseline', () => {
  const sales = steppingWeekly();
  const model = trainDemandModel({ sales });

  it('chooses the blend weight and baseline window by validation from their grids', () => {
    expect(ENGINE_SETTINGS.blendWeightGrid).toContain(model.blendWeight);
    expect(ENGINE_SETTINGS.baselineWindowGrid).toContain(model.baselineWindow);
    for (const s of model.series) {
      expect(ENGINE_SETTINGS.blendWeightGrid).toContain(s.blendWeight);
      expect(s.rung).toBe(s.blendWeight < 0.5 ? 'thin' : 'pooled');
      expect(s.weekdayMedians).toHaveLength(7);
    }
  });

  it('puts the pull toward the baseline into the trend, and the parts still add up', () => {
    const last = sales[sales.length - 1]?.date ?? '2024-01-01';
    const [forecast] = predictDemand({
      model,
      requests: [
        { date: fromDayNumber(toDayNumber(last) + 7), market: 'square', product: 'bread' },
      ],
    });
    expect(forecast).toBeDefined();
    if (!forecast) return;
    const { baseline, effects } = forecast.explanation;
    const total = effects.reduce((sum, effect) => sum + effect.units, baseline);
    expect(total).toBeCloseTo(forecast.p50, 6);
    expect(forecast.p10).toBeLessThanOrEqual(forecast.p50);
    expect(forecast.p50).toBeLessThanOrEqual(forecast.p90);
  });

  it('reports a model stored by the previous format as not loadable (the API retrains it)', () => {
    const stored = JSON.parse(serializeModel(model)) as Record<string, unknown>;
    const { blendWeight: _weight, baselineWindow: _window, ...rest } = stored;
    const previous = { ...rest, formatVersion: MODEL_FORMAT_VERSION - 1 };
    expect(() => deserializeModel(JSON.stringify(previous))).toThrow(/demand model/);
    expect(deserializeModel(serializeModel(model))).toEqual(model);
  });

  it('falls back to the pooled model alone without validation (short history)', () => {
    const short = trainDemandModel({ sales: sales.slice(0, 6) });
    expect(short.blendWeight).toBe(1);
  });
});

describe('blend with sell-outs in the baseline window', () => {
  it('counts a sell-out in the baseline at its expected demand, reported as a sell-out effect', () => {
    // Weekly series, level stepping; every third week sold out at 40% of the day.
    const sales = steppingWeekly().map((sale, i) =>
      Math.floor(i / 2) % 3 === 0 ? { ...sale, soldOutFractionOfDay: 0.4 } : sale,
    );
    const model = trainDemandModel({ sales });
    expect(model.blendWeight).toBeGreaterThan(0);
    const last = sales[sales.length - 1]?.date ?? '2024-01-01';
    const date = fromDayNumber(toDayNumber(last) + 7);
    const [forecast] = predictDemand({
      model,
      requests: [{ date, market: 'square', product: 'bread' }],
    });
    const series = model.series.find((s) => s.product === 'bread');
    expect(series?.weekdayMedianSellOutFill.every((fill) => fill >= 0)).toBe(true);
    const sellOuts = forecast?.explanation.effects.find((e) => e.name === 'recent-sell-outs');
    expect(sellOuts?.units).toBeGreaterThan(0);
    const total = (forecast?.explanation.effects ?? []).reduce(
      (sum, effect) => sum + effect.units,
      forecast?.explanation.baseline ?? 0,
    );
    expect(total).toBeCloseTo(forecast?.p50 ?? 0, 6);
  });
});
