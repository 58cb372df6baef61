import type { Prisma } from '../generated/prisma/client';
import { tenantSql, type TenantTransaction } from '../tenant';
import { toProductSeason, type ProductSeasonRecord } from './products.repository';

/** One product's units sold at one market on one local date, with its pack-up check-in. */
export interface DemandSalesRow {
  marketId: string;
  productId: string;
  /** Market-local date `YYYY-MM-DD`. */
  date: string;
  quantity: number;
  /** Units brought (check-in), when known. */
  brought: number | null;
  /** Instant the product sold out (check-in), when recorded. */
  soldOutAt: Date | null;
  /** Opening and closing instants of that market day, when known. */
  opensAt: Date | null;
  closesAt: Date | null;
}

/** One stored weather row (one provider and kind) of a market's local date. */
export interface DemandWeatherRow {
  marketId: string;
  date: string;
  kind: 'FORECAST' | 'OBSERVED';
  fetchedAt: Date;
  tempMeanC: number | null;
  tempMaxC: number | null;
  tempMinC: number | null;
  precipMm: number | null;
  precipProb: number | null;
  sunshineHours: number | null;
  windKph: number | null;
  cloudCoverPct: number | null;
  humidityPct: number | null;
}

/** An event on a local date; `marketId` null means near every market of the vendor. */
export interface DemandEventRow {
  marketId: string | null;
  date: string;
  name: string;
  expectedAttendance: number | null;
}

/** A product's economics, in minor units. */
export interface DemandProductRow {
  id: string;
  name: string;
  unit: string;
  category: string | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  expectedDailyUnits: number | null;
  active: boolean;
  /** The owner's season setting; null = learned from the history, at every market. */
  season: ProductSeasonRecord | null;
}

/** A market as the holiday calendar needs it. */
export interface DemandMarketRow {
  id: string;
  timezone: string;
  countryCode: string;
  regionCode: string | null;
}

/** Everything the demand engine trains on, for the whole vendor (plain arrays). */
export interface DemandHistory {
  markets: DemandMarketRow[];
  products: DemandProductRow[];
  sales: DemandSalesRow[];
  weather: DemandWeatherRow[];
  events: DemandEventRow[];
  /** Local dates of cancelled market days, per market. */
  cancelledDays: { marketId: string; date: string }[];
  /** Pre-orders and standing orders (training takes their pickups out of what was sold). */
  preOrders?: DemandPreOrderRow[];
}

/** A pre-order's market, product, units and pickup schedule. */
export interface DemandPreOrderRow {
  marketId: string;
  productId: string;
  quantity: number;
  repeat: 'once' | 'weekly';
  /** YYYY-MM-DD. */
  firstDate: string;
  untilDate: string | null;
  /** Pickup dates that did not happen (sold holds none of their units). */
  missedPickups: string[];
}

/** A market as a prep list refers to it: its name and the owner's size, when given. */
export interface DemandPlanMarket {
  id: string;
  name: string;
  sizeReferenceMarketId: string | null;
  sizeScale: number | null;
}

/** What is known about one market day to plan: its weather rows, events and active products. */
export interface DemandPlanInputs {
  products: DemandProductRow[];
  /**
   * The vendor's markets by name, for explanations that refer to another market, with the owner's
   * size of each (about `sizeScale` times `sizeReferenceMarketId`; both null when not given).
   */
  markets: DemandPlanMarket[];
  weather: DemandWeatherRow[];
  events: DemandEventRow[];
}

/** When each input of a prep list last changed, and change counters that deletions move too. */
export interface DemandFreshness {
  /** Latest change of the vendor's daily sales. */
  salesAsOf: Date | null;
  /** Change counter of the vendor's daily sales (demand_input_versions): a deletion changes it. */
  salesVersion: number;
  /** Newest local date with sales, `YYYY-MM-DD`. */
  latestSalesDate: string | null;
  feedbackAsOf: Date | null;
  /** Change counter of the vendor's check-in feedback. */
  feedbackVersion: number;
  productsAsOf: Date | null;
  productCount: number;
  /** Latest weather fetch for the market. */
  weatherAsOf: Date | null;
  /** Latest events fetch for the market (or the vendor's market-less events). */
  eventsAsOf: Date | null;
  /** How many events the market has (with the market-less ones): a deletion changes it. */
  eventCount: number;
}

/** The freshness columns as PostgreSQL sends them (findFreshnessOfMarkets, the prep-list state). */
export interface FreshnessRow {
  sales_as_of: Date | null;
  sales_version: string | null;
  latest_sales_date: string | null;
  feedback_as_of: Date | null;
  feedback_version: string | null;
  products_as_of: Date | null;
  product_count: string;
  weather_as_of: Date | null;
  events_as_of: Date | null;
  event_count: string;
}

/** A {@link FreshnessRow} as the apps see it. */
export function toFreshness(row: FreshnessRow): DemandFreshness {
  return {
    salesAsOf: row.sales_as_of,
    salesVersion: Number(row.sales_version ?? 0),
    latestSalesDate: row.latest_sales_date,
    feedbackAsOf: row.feedback_as_of,
    feedbackVersion: Number(row.feedback_version ?? 0),
    productsAsOf: row.products_as_of,
    productCount: Number(row.product_count),
    weatherAsOf: row.weather_as_of,
    eventsAsOf: row.events_as_of,
    eventCount: Number(row.event_count),
  };
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const isoDate = (value: Date) => value.toISOString().slice(0, 10);
const num = (value: { toNumber(): number } | null): number | null =>
  value === null ? null : value.toNumber();

const productSelect = {
  id: true,
  name: true,
  unit: true,
  category: true,
  priceMinor: true,
  unitCostMinor: true,
  salvageValueMinor: true,
  expectedDailyUnits: true,
  active: true,
  season: true,
} as const;

const weatherSelect = {
  marketId: true,
  date: true,
  kind: true,
  fetchedAt: true,
  tempMeanC: true,
  tempMaxC: true,
  tempMinC: true,
  precipMm: true,
  precipProb: true,
  sunshineHours: true,
  windKph: true,
  cloudCoverPct: true,
  humidityPct: true,
} as const;

type ProductRecord = {
  id: string;
  name: string;
  unit: string;
  category: string | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  expectedDailyUnits: { toNumber(): number } | null;
  active: boolean;
  season: Prisma.JsonValue;
};

type WeatherRecord = {
  marketId: string;
  date: Date;
  kind: 'FORECAST' | 'OBSERVED';
  fetchedAt: Date;
  tempMeanC: { toNumber(): number } | null;
  tempMaxC: { toNumber(): number } | null;
  tempMinC: { toNumber(): number } | null;
  precipMm: { toNumber(): number } | null;
  precipProb: { toNumber(): number } | null;
  sunshineHours: { toNumber(): number } | null;
  windKph: { toNumber(): number } | null;
  cloudCoverPct: { toNumber(): number } | null;
  humidityPct: { toNumber(): number } | null;
};

function toProduct(row: ProductRecord): DemandProductRow {
  return {
    ...row,
    expectedDailyUnits: num(row.expectedDailyUnits),
    season: toProductSeason(row.season),
  };
}

function toWeather(row: WeatherRecord): DemandWeatherRow {
  return {
    marketId: row.marketId,
    date: isoDate(row.date),
    kind: row.kind,
    fetchedAt: row.fetchedAt,
    tempMeanC: num(row.tempMeanC),
    tempMaxC: num(row.tempMaxC),
    tempMinC: num(row.tempMinC),
    precipMm: num(row.precipMm),
    precipProb: num(row.precipProb),
    sunshineHours: num(row.sunshineHours),
    windKph: num(row.windKph),
    cloudCoverPct: num(row.cloudCoverPct),
    humidityPct: num(row.humidityPct),
  };
}

/**
 * The demand engine's inputs of the current tenant: sales history with check-ins, weather, events
 * and product economics, as plain arrays. Takes a tenant-scoped transaction (see withTenant).
 */
export class DemandInputsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * When the inputs of a prep list for `marketId` last changed: one query of aggregates (sales,
   * check-ins and products are vendor-wide because the model learns from all of them).
   */
  async findFreshness(options: { marketId: string }): Promise<DemandFreshness> {
    const byMarket = await this.findFreshnessOfMarkets([options.marketId]);
    return byMarket.get(options.marketId)!; // one row per id asked, the vendor's or not
  }

  /**
   * {@link findFreshness} of several markets in one statement (the vendor-wide parts read once):
   * the accuracy report fingerprints every market's inputs. An id that is not the vendor's market
   * gets the vendor-wide parts and no weather or market events (row-level security hides them).
   */
  async findFreshnessOfMarkets(
    marketIds: readonly string[],
  ): Promise<Map<string, DemandFreshness>> {
    if (marketIds.length === 0) return new Map();
    const rows = await tenantSql(this.tx).query<FreshnessRow & { market_id: string }>(
      `SELECT m.id::text AS market_id,
              s.sales_as_of, v.sales_version::text, to_char(s.latest_sales_date, 'YYYY-MM-DD')
                AS latest_sales_date,
              f.feedback_as_of, v.feedback_version::text,
              p.products_as_of, p.product_count::text,
              (SELECT max(fetched_at) FROM weather w WHERE w.market_id = m.id) AS weather_as_of,
              e.events_as_of, e.event_count::text
         FROM unnest($1::uuid[]) AS m(id)
         CROSS JOIN LATERAL (SELECT max(fetched_at) AS events_as_of, count(*) AS event_count
                               FROM events ev
                              WHERE ev.market_id = m.id OR ev.market_id IS NULL) e,
              (SELECT max(updated_at) AS sales_as_of, max(date) AS latest_sales_date
                 FROM daily_sales) s,
              (SELECT max(updated_at) AS feedback_as_of FROM feedback) f,
              (SELECT sum(sales_version)::bigint AS sales_version,
                      sum(feedback_version)::bigint AS feedback_version
                 FROM demand_input_versions) v,
              (SELECT max(updated_at) AS products_as_of, count(*) AS product_count
                 FROM products) p`,
      [marketIds],
    );
    return new Map(rows.map((row) => [row.market_id, toFreshness(row)]));
  }

  /**
   * The vendor's whole history for training: daily sales joined with the check-in of the same
   * market day and product (brought, sold-out time; a check-in without daily sales counts with its
   * own `sold`), weather rows, events, cancelled days, markets and products.
   */
  async loadHistory(): Promise<DemandHistory> {
    const markets = await this.tx.market.findMany({
      select: { id: true, timezone: true, countryCode: true, regionCode: true },
      orderBy: { id: 'asc' },
    });
    const products = await this.tx.product.findMany({
      select: productSelect,
      orderBy: { id: 'asc' },
    });
    const daily = await this.tx.dailySales.findMany({
      select: { marketId: true, productId: true, date: true, quantity: true },
    });
    const feedback = await this.tx.feedback.findMany({
      select: {
        productId: true,
        brought: true,
        sold: true,
        soldOutAt: true,
        marketDay: { select: { marketId: true, date: true } },
      },
    });
    const marketDays = await this.tx.marketDay.findMany({
      select: { marketId: true, date: true, status: true, opensAt: true, closesAt: true },
    });
    const weather = await this.tx.weather.findMany({ select: weatherSelect });
    const events = await this.tx.event.findMany({
      select: { marketId: true, date: true, name: true, expectedAttendance: true },
    });
    const preOrders = await this.tx.preOrder.findMany({
      select: {
        marketId: true,
        productId: true,
        quantity: true,
        repeat: true,
        firstDate: true,
        untilDate: true,
        missedPickups: { select: { marketDate: true } },
      },
    });

    const hours = new Map(marketDays.map((d) => [`${d.marketId}|${isoDate(d.date)}`, d] as const));
    const checkIns = new Map(
      feedback.map(
        (f) => [`${f.marketDay.marketId}|${f.productId}|${isoDate(f.marketDay.date)}`, f] as const,
      ),
    );
    const sales: DemandSalesRow[] = [];
    const row = (
      marketId: string,
      productId: string,
      date: string,
      quantity: number,
    ): DemandSalesRow => {
      const checkIn = checkIns.get(`${marketId}|${productId}|${date}`);
      const opening = hours.get(`${marketId}|${date}`);
      return {
        marketId,
        productId,
        date,
        quantity,
        brought: checkIn ? checkIn.brought.toNumber() : null,
        soldOutAt: checkIn?.soldOutAt ?? null,
        opensAt: opening?.opensAt ?? null,
        closesAt: opening?.closesAt ?? null,
      };
    };
    const seen = new Set<string>();
    for (const d of daily) {
      const date = isoDate(d.date);
      seen.add(`${d.marketId}|${d.productId}|${date}`);
      sales.push(row(d.marketId, d.productId, date, d.quantity.toNumber()));
    }
    for (const [key, f] of checkIns) {
      if (seen.has(key) || f.sold === null) continue;
      sales.push(
        row(f.marketDay.marketId, f.productId, isoDate(f.marketDay.date), f.sold.toNumber()),
      );
    }
    // A stable order: the same data always trains the same model.
    sales.sort((a, b) =>
      a.date !== b.date
        ? a.date < b.date
          ? -1
          : 1
        : a.marketId !== b.marketId
          ? a.marketId < b.marketId
            ? -1
            : 1
          : a.productId < b.productId
            ? -1
            : a.productId > b.productId
              ? 1
              : 0,
    );
    return {
      markets,
      products: products.map(toProduct),
      sales,
      weather: weather.map(toWeather),
      events: events.map((e) => ({ ...e, date: isoDate(e.date) })),
      cancelledDays: marketDays
        .filter((d) => d.status === 'CANCELLED')
        .map((d) => ({ marketId: d.marketId, date: isoDate(d.date) })),
      preOrders: preOrders.map((order) => ({
        ...order,
        repeat: order.repeat === 'weekly' ? ('weekly' as const) : ('once' as const),
        firstDate: isoDate(order.firstDate),
        untilDate: order.untilDate ? isoDate(order.untilDate) : null,
        missedPickups: order.missedPickups.map((missed) => isoDate(missed.marketDate)),
      })),
    };
  }

  /** What is known about `marketId` on `date`: weather rows, events, and the active products. */
  async loadPlanInputs(options: { marketId: string; date: string }): Promise<DemandPlanInputs> {
    const date = day(options.date);
    const products = await this.tx.product.findMany({
      where: { active: true },
      select: productSelect,
      orderBy: { name: 'asc' },
    });
    const weather = await this.tx.weather.findMany({
      where: { marketId: options.marketId, date },
      select: weatherSelect,
    });
    const events = await this.tx.event.findMany({
      where: { date, OR: [{ marketId: options.marketId }, { marketId: null }] },
      select: { marketId: true, date: true, name: true, expectedAttendance: true },
      orderBy: { name: 'asc' },
    });
    const markets = await this.tx.market.findMany({
      select: { id: true, name: true, sizeReferenceMarketId: true, sizeScale: true },
      orderBy: { name: 'asc' },
    });
    return {
      products: products.map(toProduct),
      markets: markets.map((m) => ({ ...m, sizeScale: num(m.sizeScale) })),
      weather: weather.map(toWeather),
      events: events.map((e) => ({ ...e, date: isoDate(e.date) })),
    };
  }
}
