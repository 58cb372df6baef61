import { fromDayNumber, toDayNumber, weekdayOfDay } from '../calendar-dates';
import type { MarketDayCovariates, SalesObservation } from '../types';

/** Deterministic PRNG (mulberry32): the only randomness the package allows, always seeded. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Settings of a synthetic vendor for tests and benchmarks. */
export interface SyntheticVendorOptions {
  readonly seed: number;
  readonly products: number;
  readonly markets: number;
  readonly start: string;
  readonly days: number;
  /** Weekdays the markets trade on (Monday = 0); default every day. */
  readonly weekdays?: readonly number[];
}

/**
 * A vendor with known structure: per-product levels, a Saturday lift, yearly season, a rain
 * effect and log-normal noise, with weather and calendar covariates for every market day.
 */
export function createSyntheticVendor(options: SyntheticVendorOptions): {
  sales: SalesObservation[];
  covariates: MarketDayCovariates[];
} {
  const random = createRandom(options.seed);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const levels = Array.from({ length: options.products }, () => 5 + 40 * random());
  const startDay = toDayNumber(options.start);
  const sales: SalesObservation[] = [];
  const covariates: MarketDayCovariates[] = [];
  for (let offset = 0; offset < options.days; offset++) {
    const day = startDay + offset;
    const weekday = weekdayOfDay(day);
    if (options.weekdays && !options.weekdays.includes(weekday)) continue;
    const date = fromDayNumber(day);
    for (let m = 0; m < options.markets; m++) {
      const market = `market-${m}`;
      const rain = random() < 0.3 ? 2 + 10 * random() : 0;
      const temp = 12 + 10 * Math.sin((2 * Math.PI * (offset - 100)) / 365.25) + 3 * normal();
      const holiday = random() < 0.03;
      covariates.push({
        date,
        market,
        weather: { temp_c: temp, precip_mm: rain },
        flags: { is_holiday: holiday },
      });
      for (let p = 0; p < options.products; p++) {
        const base = levels[p] ?? 10;
        const season = 1 + 0.3 * Math.sin((2 * Math.PI * offset) / 365.25);
        const effect =
          (weekday === 5 ? 1.5 : 1) * season * (rain > 0 ? 0.75 : 1) * (holiday ? 1.3 : 1);
        const quantity = Math.round(base * effect * Math.exp(0.25 * normal()));
        sales.push({ date, market, product: `product-${p}`, quantity });
      }
    }
  }
  return { sales, covariates };
}
