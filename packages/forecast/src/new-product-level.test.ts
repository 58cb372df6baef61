import { describe, expect, it } from 'vitest';
import { addDays, toDayNumber } from './calendar-dates';
import { advanceDemandModel } from './models/advance';
import type { SeriesFit } from './models/pooled';
import type { SeriesData } from './models/series-data';
import { predictDemand } from './predict';
import { createRandom, createSyntheticVendor } from './testing/synthetic-vendor';
import { trainDemandModel, youngSeriesLevel } from './train';

const normalFrom = (seed: number) => {
  const random = createRandom(seed);
  return (): number =>
    Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
};

/**
 * A Saturday market's two years of eight products, and a loaf added fourteen Saturdays ago,
 * sharing the vendor's season with 20% noise: climbing from 3 to 20 (a new product finding its
 * customers), or at 20 from its first day.
 */
/** Two years of a Saturday market's eight established products. */
const saturdayVendor = () =>
  createSyntheticVendor({
    seed: 11,
    products: 8,
    markets: 1,
    start: '2024-12-07',
    days: 728,
    weekdays: [5],
  });

function vendorWithNewLoaf(climb: boolean) {
  const { sales, covariates } = saturdayVendor();
  const season = (date: string) =>
    1 + 0.3 * Math.sin((2 * Math.PI * (toDayNumber(date) - toDayNumber('2024-12-07'))) / 365.25);
  const saturdays = [...new Set(sales.map((s) => s.date))].sort().slice(-14);
  const normal = normalFrom(3);
  saturdays.forEach((date, week) => {
    const level = climb ? Math.min(3 * Math.pow(1.25, week), 20) : 20;
    sales.push({
      date,
      market: 'market-0',
      product: 'new-loaf',
      quantity: Math.round(level * season(date) * Math.exp(0.2 * normal())),
    });
  });
  const next = addDays(saturdays.at(-1) ?? '', 7);
  return { sales, covariates, next, level: 20 * season(next) };
}

function loafForecast(climb: boolean) {
  const { sales, covariates, next, level } = vendorWithNewLoaf(climb);
  const model = trainDemandModel({ sales, covariates });
  const [loaf] = predictDemand({
    model,
    requests: [{ date: next, market: 'market-0', product: 'new-loaf' }],
    covariates: [{ date: next, market: 'market-0', weather: { temp_c: 5, precip_mm: 0 } }],
  });
  const series = model.series.find((s) => s.product === 'new-loaf');
  if (!loaf || !series) throw new Error('no forecast');
  return { ...loaf, level, halfLife: series.forward?.levelHalfLife, vendor: model.levelHalfLife };
}

/** `youngSeriesLevel` of residuals (1 in `soldOut` marks a sell-out), the vendor's half-life 16. */
function levelOf(residuals: number[], soldOut?: number[]) {
  const censored = Uint8Array.from(soldOut ?? residuals.map(() => 0));
  const s = { censored } as unknown as SeriesData;
  const fit = { residual: Float64Array.from(residuals), sigma: 0.3 } as unknown as SeriesFit;
  return youngSeriesLevel(s, fit, Number.POSITIVE_INFINITY, 16);
}

describe('a product too new for the validation', () => {
  it('chooses a short half-life for a climb and a long one for noise around a level', () => {
    const normal = normalFrom(7);
    const climb = Array.from({ length: 14 }, (_, i) => -1 + 0.12 * i + 0.15 * normal());
    const fast = levelOf(climb);
    expect(fast.halfLife).toBeLessThanOrEqual(4);
    const steady = Array.from({ length: 40 }, () => 0.2 * normal());
    const slow = levelOf(steady);
    expect(slow.halfLife).toBeGreaterThanOrEqual(16);
    // The misses of a level that barely moves are the noise itself.
    expect(slow.spread).toBeGreaterThan(0.12);
    expect(slow.spread).toBeLessThan(0.3);
  });

  it("keeps the vendor's half-life and the fit's spread when it sold out nearly every time", () => {
    const residuals = [-0.4, -0.1, 0.2, 0.5, 0.3, 0.6];
    // Two days it did not sell out after its first: nothing to choose a half-life on.
    expect(levelOf(residuals, [0, 1, 0, 1, 1, 0])).toEqual({
      halfLife: 16,
      spread: 0.3,
      misses: 0,
    });
  });

  it("follows a new loaf's climb instead of standing at its average since launch", () => {
    const loaf = loafForecast(true);
    // The vendor's half-life (the established products') put the median at 14 for a loaf now
    // selling about 20, with a range from 5 to 33.
    expect(loaf.halfLife).toBeDefined();
    expect(loaf.halfLife).toBeLessThan(loaf.vendor);
    expect(Math.abs(loaf.p50 / loaf.level - 1)).toBeLessThan(0.15);
    expect(loaf.p10).toBeLessThan(loaf.level);
    expect(loaf.p90).toBeGreaterThan(loaf.level * 1.2);
  });

  it('keeps a narrow range for a loaf that sold steadily from its first day', () => {
    const steady = loafForecast(false);
    expect(steady.p90 / steady.p10).toBeLessThan(1.6);
  });

  it("does not take a launch's rough first weeks for the loaf's spread: its range leans on the vendor's", () => {
    // The demo's Cranberry Walnut Loaf twelve Saturdays after its launch: 7, 3, 1, 2 in its first
    // month, 5-13 since. Its one-step misses alone read "likely 3-35, bring 39".
    const { sales, covariates } = saturdayVendor();
    const saturdays = [...new Set(sales.map((s) => s.date))].sort().slice(-12);
    const sold = [7, 3, 1, 2, 7, 9, 7, 11, 5, 13, 11, 6];
    saturdays.forEach((date, week) =>
      sales.push({ date, market: 'market-0', product: 'new-loaf', quantity: sold[week] ?? 0 }),
    );
    const model = trainDemandModel({ sales, covariates });
    const [loaf] = predictDemand({
      model,
      requests: [
        { date: addDays(saturdays.at(-1) ?? '', 7), market: 'market-0', product: 'new-loaf' },
      ],
      covariates: [],
    });
    if (!loaf) throw new Error('no forecast');
    expect(loaf.p50).toBeGreaterThan(6);
    expect(loaf.p50).toBeLessThan(13);
    // Its best day sold 13; the top of its range stays near it, not at two and a half times it.
    expect(loaf.p90).toBeLessThan(22);
    expect(loaf.p90).toBeGreaterThan(13);
  });

  it('keeps its own half-life when the model is brought up to date without a refit', () => {
    const { sales, covariates, next } = vendorWithNewLoaf(true);
    const model = trainDemandModel({ sales, covariates });
    const loaf = model.series.find((s) => s.product === 'new-loaf');
    const own = loaf?.forward?.levelHalfLife;
    expect(own).toBeLessThan(model.levelHalfLife);
    // The vendor's half-life in its place: the model as it was before the loaf had its own.
    const asVendor = {
      ...model,
      series: model.series.map((s) =>
        s === loaf && s.forward ? { ...s, forward: { ...s.forward, levelHalfLife: undefined } } : s,
      ),
    };
    // Twelve Saturdays at 40, ten weeks later 25.
    const later = Array.from({ length: 12 }, (_, week) => ({
      date: addDays(next, 7 * week),
      market: 'market-0',
      product: 'new-loaf',
      quantity: week < 10 ? 40 : 25,
    }));
    const advancedLoaf = (m: typeof model) =>
      advanceDemandModel({ model: m, sales: later, covariates }).series.find(
        (s) => s.product === 'new-loaf',
      );
    const ownLoaf = advancedLoaf(model);
    expect(ownLoaf?.forward?.levelHalfLife).toBe(own);
    // Its short memory has moved down with the last two Saturdays; the vendor's would not have.
    expect((advancedLoaf(asVendor)?.level ?? 0) - (ownLoaf?.level ?? 0)).toBeGreaterThan(0.1);
  });
});
