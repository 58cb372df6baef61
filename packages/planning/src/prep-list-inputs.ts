import type {
  DemandEventRow,
  DemandHistory,
  DemandProductRow,
  DemandSalesRow,
  DemandWeatherRow,
} from '@marketprep/db';
import type { OpeningDates } from '@marketprep/contracts';
import type { MarketDayCovariates, ProductEconomics, SalesObservation } from '@marketprep/forecast';
import { localTime, opensOn } from './local-time';
import { preOrderedByDay } from './pre-order-pickups';
import { holidayFlagsOn } from './holidays';

/**
 * The weekly opening of `market` that runs on `date` (weekday, season and weeks of the month:
 * `opensOn`), or undefined.
 */
export function scheduleOn<Opening extends OpeningDates>(
  market: { schedule: readonly Opening[] },
  date: string,
): Opening | undefined {
  return market.schedule.find((entry) => opensOn(entry, date));
}

/** The engine's weather columns of one stored row (names as in `docs/forecasting.md`). */
export function weatherColumns(row: DemandWeatherRow): Record<string, number> {
  const columns: Record<string, number> = {};
  const meanTemp =
    row.tempMeanC ??
    (row.tempMaxC !== null && row.tempMinC !== null ? (row.tempMaxC + row.tempMinC) / 2 : null);
  const put = (name: string, value: number | null) => {
    if (value !== null && Number.isFinite(value)) columns[name] = value;
  };
  put('temp_c', meanTemp);
  put('precip_mm', row.precipMm);
  put('precip_prob', row.precipProb);
  put('sunshine_h', row.sunshineHours);
  put('wind', row.windKph);
  put('clouds', row.cloudCoverPct);
  put('humidity', row.humidityPct);
  return columns;
}

/**
 * The best weather row per market and date: the latest OBSERVED row when there is one (the past),
 * else the latest FORECAST (the planned day).
 */
export function chooseWeather(rows: readonly DemandWeatherRow[]): Map<string, DemandWeatherRow> {
  const best = new Map<string, DemandWeatherRow>();
  for (const row of rows) {
    const key = `${row.marketId}|${row.date}`;
    const current = best.get(key);
    if (
      !current ||
      (row.kind === 'OBSERVED' && current.kind === 'FORECAST') ||
      (row.kind === current.kind && row.fetchedAt > current.fetchedAt)
    ) {
      best.set(key, row);
    }
  }
  return best;
}

/**
 * A product's economics for the newsvendor quantity (minor units; the ratio is scale-free), with
 * the owner's season setting when there is one (none: the engine learns the season). A price or
 * a unit cost of 0 is one not entered yet (imports and new products start there, and nothing a
 * stall sells is free to make): left out, so the engine packs the product like the vendor's
 * others instead of covering 95% of its demand as if a leftover cost nothing.
 */
export function productEconomics(product: DemandProductRow): ProductEconomics {
  const season = product.season;
  return {
    product: product.id,
    ...(product.priceMinor > 0 ? { price: product.priceMinor } : {}),
    ...(product.unitCostMinor > 0 ? { unitCost: product.unitCostMinor } : {}),
    salvageValue: product.salvageValueMinor,
    ...(product.category ? { category: product.category } : {}),
    ...(product.expectedDailyUnits !== null
      ? { expectedQuantity: product.expectedDailyUnits }
      : {}),
    ...(season
      ? {
          season: {
            mode: season.mode,
            ...(season.months?.length ? { months: season.months } : {}),
            ...(season.ranges?.length ? { ranges: season.ranges } : {}),
            ...(season.excludedMarkets?.length ? { excludedMarkets: season.excludedMarkets } : {}),
          },
        }
      : {}),
  };
}

function eventsOf(rows: readonly DemandEventRow[]) {
  return rows.map((e) => ({
    name: e.name,
    ...(e.expectedAttendance !== null ? { attendance: e.expectedAttendance } : {}),
  }));
}

/** The covariates of one market day: weather, holiday flags (+ closed), events. */
export function marketDayCovariates(options: {
  market: { id: string; countryCode: string; regionCode: string | null };
  date: string;
  weather: DemandWeatherRow | undefined;
  events: readonly DemandEventRow[];
  closed?: boolean;
}): MarketDayCovariates {
  const flags: Record<string, boolean> = holidayFlagsOn({
    countryCode: options.market.countryCode,
    regionCode: options.market.regionCode,
    date: options.date,
  });
  if (options.closed) flags.is_closed = true;
  return {
    date: options.date,
    market: options.market.id,
    ...(options.weather ? { weather: weatherColumns(options.weather) } : {}),
    flags,
    events: eventsOf(options.events),
  };
}

function salesObservation(row: DemandSalesRow, timeZone: string): SalesObservation {
  return {
    date: row.date,
    market: row.marketId,
    product: row.productId,
    quantity: row.quantity,
    ...(row.brought !== null ? { brought: row.brought } : {}),
    ...(row.soldOutAt ? { soldOutAt: localTime(row.soldOutAt, timeZone) } : {}),
    ...(row.opensAt ? { opensAt: localTime(row.opensAt, timeZone) } : {}),
    ...(row.closesAt ? { closesAt: localTime(row.closesAt, timeZone) } : {}),
  };
}

/** The engine's training inputs from the vendor's stored history. */
export function buildTrainingInputs(history: DemandHistory): {
  sales: SalesObservation[];
  covariates: MarketDayCovariates[];
  products: ProductEconomics[];
} {
  const markets = new Map(history.markets.map((m) => [m.id, m]));
  const sales: SalesObservation[] = [];
  const days = new Map<string, { marketId: string; date: string; closed: boolean }>();
  // The engine forecasts walk-up demand; pre-orders come on top in the plan, so their pickups
  // leave what was sold and brought here (else a standing order would be counted twice).
  let first = '9999-12-31';
  let last = '0000-01-01';
  for (const row of history.sales) {
    if (row.date < first) first = row.date;
    if (row.date > last) last = row.date;
  }
  const preOrdered = preOrderedByDay(history.preOrders ?? [], first, last);
  for (const row of history.sales) {
    const market = markets.get(row.marketId);
    if (!market) continue;
    const ordered = preOrdered.get(`${row.marketId}|${row.productId}|${row.date}`) ?? 0;
    const walkUp =
      ordered > 0
        ? {
            ...row,
            quantity: Math.max(0, row.quantity - ordered),
            brought: row.brought === null ? null : Math.max(0, row.brought - ordered),
          }
        : row;
    sales.push(salesObservation(walkUp, market.timezone));
    days.set(`${row.marketId}|${row.date}`, {
      marketId: row.marketId,
      date: row.date,
      closed: false,
    });
  }
  for (const day of history.cancelledDays) {
    days.set(`${day.marketId}|${day.date}`, { ...day, closed: true });
  }
  const weather = chooseWeather(history.weather);
  const eventsByDay = new Map<string, DemandEventRow[]>();
  for (const event of history.events) {
    const targets = event.marketId === null ? [...markets.keys()] : [event.marketId];
    for (const marketId of targets) {
      const key = `${marketId}|${event.date}`;
      eventsByDay.set(key, [...(eventsByDay.get(key) ?? []), event]);
    }
  }
  const covariates: MarketDayCovariates[] = [];
  for (const [key, day] of days) {
    const market = markets.get(day.marketId);
    if (!market) continue;
    covariates.push(
      marketDayCovariates({
        market,
        date: day.date,
        weather: weather.get(key),
        events: eventsByDay.get(key) ?? [],
        closed: day.closed,
      }),
    );
  }
  return { sales, covariates, products: history.products.map(productEconomics) };
}
