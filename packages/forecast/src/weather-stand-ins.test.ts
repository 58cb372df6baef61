import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from './calendar-dates';
import { predictDemand } from './predict';
import { createRandom } from './testing/synthetic-vendor';
import { trainDemandModel } from './train';
import type { MarketDayCovariates, SalesObservation } from './types';

/**
 * A Saturday market where rain keeps people home: a wet day sells 30% less. The history's
 * weather is observed (amount and the chance a good forecast gave, which go together); the
 * planned day's forecast gives only the chance, as NWS does.
 */
function market() {
  const random = createRandom(3);
  const sales: SalesObservation[] = [];
  const covariates: MarketDayCovariates[] = [];
  for (let d = toDayNumber('2024-01-06'); d <= toDayNumber('2026-06-27'); d += 7) {
    const date = fromDayNumber(d);
    const wet = random() < 0.35;
    const mm = wet ? 1 + 12 * random() : 0;
    const chance = wet ? 0.5 + 0.4 * random() : 0.05 + 0.25 * random();
    covariates.push({
      date,
      market: 'sat',
      weather: { precip_mm: mm, precip_prob: chance, temp_c: 15 + 5 * random() },
    });
    const lift = wet ? 0.7 : 1;
    sales.push({
      date,
      market: 'sat',
      product: 'bread',
      quantity: Math.round(60 * lift * (0.9 + 0.2 * random())),
    });
  }
  return { sales, covariates };
}

describe('weather a forecast does not give', () => {
  const { sales, covariates } = market();
  const model = trainDemandModel({ sales, covariates, trainThrough: '2026-06-27' });
  const forecast = (weather: Record<string, number>) =>
    predictDemand({
      model,
      covariates: [...covariates, { date: '2026-07-04', market: 'sat', weather }],
      requests: [{ date: '2026-07-04', market: 'sat', product: 'bread' }],
    })[0]!.p50;

  it('learns which columns stand in for each other', () => {
    const mm = model.spec.weather.find((c) => c.name === 'precip_mm');
    expect(mm?.standIns?.[0]?.name).toBe('precip_prob');
    expect(mm?.standIns?.[0]?.correlation).toBeGreaterThan(0.5);
  });

  it('reads a chance of rain without an amount as the rain that chance came with', () => {
    const dry = forecast({ precip_prob: 0.1, temp_c: 17 });
    const wet = forecast({ precip_prob: 0.9, temp_c: 17 });
    // A likely wet day sells less, as the history's wet days did (never more).
    expect(wet).toBeLessThan(0.9 * dry);
    // And about as much as a day with the rain given outright.
    const given = forecast({ precip_prob: 0.9, precip_mm: 7, temp_c: 17 });
    expect(Math.abs(wet - given) / given).toBeLessThan(0.12);
  });
});
