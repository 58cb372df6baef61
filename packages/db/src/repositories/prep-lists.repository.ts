import type { TenantTransaction } from '../tenant';

/** A market with what a prep list needs to resolve its market days and print its header. */
export interface PrepListMarket {
  id: string;
  name: string;
  timezone: string;
  countryCode: string;
  regionCode: string | null;
  updatedAt: Date;
  vendorName: string;
  currency: string;
  /** Weekly openings, 0 = Monday, local 'HH:MM'; season bounds 'MM-DD' (inclusive, may wrap). */
  schedule: {
    weekday: number;
    opensAt: string;
    closesAt: string;
    seasonFrom: string | null;
    seasonTo: string | null;
    /** Which of the month's weekdays (1-5, -1 = last); empty = every week. */
    weeksOfMonth: number[];
    /** Every other week from this date ('YYYY-MM-DD'), or null. */
    everyOtherWeekFrom: string | null;
  }[];
}

/** A market day as a prep list sees it. */
export interface PrepListMarketDay {
  id: string;
  date: string;
  status: 'SCHEDULED' | 'CANCELLED';
  updatedAt: Date;
}

/** A market day as the planner reads it: with when the market opens (null: stored without times). */
export interface PlannedMarketDay extends PrepListMarketDay {
  opensAt: Date | null;
}

/** One line to store on a new prep list. */
export interface NewPrepListLine {
  productId: string;
  q10: number;
  q50: number;
  q90: number;
  criticalRatio: number;
  qCritical: number;
  quantity: number;
  expectedSold: number;
  expectedRevenueMinor: number;
  modelRung: string;
  dataSufficiency: string;
  explanation: unknown;
  /**
   * The predictive distribution: demand at each of `QUANTILE_LEVELS` (@marketprep/forecast), for
   * expected sales at a quantity the engine did not choose (an override). Absent: none stored.
   */
  demandQuantiles?: readonly number[];
}

/** One stored line of a prep list (product name, unit, current price and cost joined in). */
export interface StoredPrepListLine {
  productId: string;
  productName: string;
  unit: string;
  /** The product's price now, minor units (a price change recomputes the list: see inputs hash). */
  priceMinor: number;
  /** The product's unit cost now, minor units; 0 when not entered. */
  unitCostMinor: number;
  q10: number;
  q50: number;
  q90: number;
  criticalRatio: number;
  quantity: number;
  overrideQuantity: number | null;
  expectedSold: number;
  expectedRevenueMinor: number;
  modelRung: string;
  dataSufficiency: string;
  explanation: unknown;
  /** Demand at each of `QUANTILE_LEVELS`; empty on lines stored before it was kept. */
  demandQuantiles: number[];
}

/** A stored prep list with its lines (product name and unit joined in). */
export interface StoredPrepList {
  id: string;
  marketId: string;
  marketDayId: string;
  trigger: string;
  inputsHash: string;
  generatedAt: Date;
  salesAsOf: Date | null;
  weatherAsOf: Date | null;
  eventsAsOf: Date | null;
  model: {
    id: string;
    engineVersion: string;
    trainedAt: Date;
    trainedThrough: string | null;
  } | null;
  lines: StoredPrepListLine[];
}

const isoDate = (value: Date) => value.toISOString().slice(0, 10);
const hhmm = (value: Date) => value.toISOString().slice(11, 16);
/** Seasons are stored on a reference year; only month and day matter. */
const monthDay = (value: Date | null) => (value ? value.toISOString().slice(5, 10) : null);

/**
 * Prep lists (recommendations and their lines) and the markets and market days they belong to.
 * Takes a tenant-scoped transaction (see withTenant).
 */
export class PrepListsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** A market of the current vendor that is not archived, with its schedule; else null. */
  async findMarket(marketId: string): Promise<PrepListMarket | null> {
    const row = await this.tx.market.findFirst({
      where: { id: marketId, archivedAt: null },
      select: {
        id: true,
        name: true,
        timezone: true,
        countryCode: true,
        regionCode: true,
        updatedAt: true,
        vendor: { select: { name: true, currency: true } },
        schedules: {
          orderBy: { weekday: 'asc' },
          select: {
            weekday: true,
            opensAt: true,
            closesAt: true,
            seasonFrom: true,
            seasonTo: true,
            weeksOfMonth: true,
            everyOtherWeekFrom: true,
          },
        },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      timezone: row.timezone,
      countryCode: row.countryCode,
      regionCode: row.regionCode,
      updatedAt: row.updatedAt,
      vendorName: row.vendor.name,
      currency: row.vendor.currency,
      schedule: row.schedules.map((s) => ({
        weekday: s.weekday,
        opensAt: hhmm(s.opensAt),
        closesAt: hhmm(s.closesAt),
        seasonFrom: monthDay(s.seasonFrom),
        seasonTo: monthDay(s.seasonTo),
        weeksOfMonth: s.weeksOfMonth,
        everyOtherWeekFrom: s.everyOtherWeekFrom?.toISOString().slice(0, 10) ?? null,
      })),
    };
  }

  /** The market day of `marketId` on `date`, or null. */
  async findMarketDay(options: {
    marketId: string;
    date: string;
  }): Promise<PlannedMarketDay | null> {
    const row = await this.tx.marketDay.findUnique({
      where: {
        marketId_date: { marketId: options.marketId, date: new Date(`${options.date}T00:00:00Z`) },
      },
      select: { id: true, date: true, status: true, opensAt: true, updatedAt: true },
    });
    return row ? { ...row, date: isoDate(row.date) } : null;
  }

  /**
   * Creates the scheduled market day of `marketId` on `date` (from its weekly schedule); a
   * concurrent creation of the same day is harmless (the existing row is returned).
   */
  async createMarketDay(options: {
    vendorId: string;
    marketId: string;
    date: string;
    opensAt: Date | null;
    closesAt: Date | null;
  }): Promise<PlannedMarketDay> {
    const date = new Date(`${options.date}T00:00:00Z`);
    const row = await this.tx.marketDay.upsert({
      where: { marketId_date: { marketId: options.marketId, date } },
      create: {
        vendorId: options.vendorId,
        marketId: options.marketId,
        date,
        opensAt: options.opensAt,
        closesAt: options.closesAt,
      },
      update: {},
      select: { id: true, date: true, status: true, opensAt: true, updatedAt: true },
    });
    return { ...row, date: isoDate(row.date) };
  }

  /** Id and inputs hash of the CURRENT prep list of a market day, or null. */
  async findCurrent(marketDayId: string): Promise<{ id: string; inputsHash: string } | null> {
    return this.tx.recommendation.findFirst({
      where: { marketDayId, status: 'CURRENT' },
      orderBy: { generatedAt: 'desc' },
      select: { id: true, inputsHash: true },
    });
  }

  /** A stored prep list with its lines ordered by product name, or null. */
  async loadPrepList(id: string): Promise<StoredPrepList | null> {
    const row = await this.tx.recommendation.findUnique({
      where: { id },
      select: {
        id: true,
        marketId: true,
        marketDayId: true,
        trigger: true,
        inputsHash: true,
        generatedAt: true,
        salesAsOf: true,
        weatherAsOf: true,
        eventsAsOf: true,
        modelVersion: {
          select: { id: true, engineVersion: true, trainedAt: true, trainedThrough: true },
        },
        lines: {
          orderBy: { product: { name: 'asc' } },
          select: {
            productId: true,
            q10: true,
            q50: true,
            q90: true,
            criticalRatio: true,
            quantity: true,
            overrideQuantity: true,
            expectedSold: true,
            expectedRevenueMinor: true,
            modelRung: true,
            dataSufficiency: true,
            explanation: true,
            demandQuantiles: true,
            product: { select: { name: true, unit: true, priceMinor: true, unitCostMinor: true } },
          },
        },
      },
    });
    if (!row) return null;
    const { modelVersion, lines, ...rest } = row;
    return {
      ...rest,
      model: modelVersion
        ? {
            ...modelVersion,
            trainedThrough: modelVersion.trainedThrough
              ? isoDate(modelVersion.trainedThrough)
              : null,
          }
        : null,
      lines: lines.map(({ product, ...line }) => ({
        ...line,
        productName: product.name,
        unit: product.unit,
        priceMinor: product.priceMinor,
        unitCostMinor: product.unitCostMinor,
        q10: line.q10.toNumber(),
        q50: line.q50.toNumber(),
        q90: line.q90.toNumber(),
        criticalRatio: line.criticalRatio.toNumber(),
        expectedSold: line.expectedSold.toNumber(),
        expectedRevenueMinor: Number(line.expectedRevenueMinor),
      })),
    };
  }

  /**
   * Stores a new CURRENT prep list for a market day and marks the previous one SUPERSEDED,
   * keeping the vendor's overrides for products still on the list. Serialized per market day
   * (advisory lock): when another request stored a list with the same inputs meanwhile, that
   * one is returned instead (unless `force`).
   */
  async saveCurrent(data: {
    vendorId: string;
    marketId: string;
    marketDayId: string;
    modelVersionId: string | null;
    trigger: string;
    inputsHash: string;
    generatedAt: Date;
    salesAsOf: Date | null;
    weatherAsOf: Date | null;
    eventsAsOf: Date | null;
    force: boolean;
    lines: NewPrepListLine[];
  }): Promise<string> {
    await this.tx
      .$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`prep-list:${data.marketDayId}`}))`;
    const previous = await this.findCurrent(data.marketDayId);
    if (previous && !data.force && previous.inputsHash === data.inputsHash) return previous.id;
    const overrides = new Map<string, { quantity: number; userId: string | null }>();
    if (previous) {
      const kept = await this.tx.recommendationLine.findMany({
        where: { recommendationId: previous.id, overrideQuantity: { not: null } },
        select: { productId: true, overrideQuantity: true, overriddenByUserId: true },
      });
      for (const line of kept) {
        if (line.overrideQuantity !== null) {
          overrides.set(line.productId, {
            quantity: line.overrideQuantity,
            userId: line.overriddenByUserId,
          });
        }
      }
      await this.tx.recommendation.updateMany({
        where: { marketDayId: data.marketDayId, status: 'CURRENT' },
        data: { status: 'SUPERSEDED' },
      });
    }
    const created = await this.tx.recommendation.create({
      data: {
        vendorId: data.vendorId,
        marketId: data.marketId,
        marketDayId: data.marketDayId,
        modelVersionId: data.modelVersionId,
        status: 'CURRENT',
        trigger: data.trigger,
        inputsHash: data.inputsHash,
        generatedAt: data.generatedAt,
        salesAsOf: data.salesAsOf,
        weatherAsOf: data.weatherAsOf,
        eventsAsOf: data.eventsAsOf,
      },
      select: { id: true },
    });
    await this.tx.recommendationLine.createMany({
      data: data.lines.map((line) => {
        const override = overrides.get(line.productId);
        return {
          vendorId: data.vendorId,
          recommendationId: created.id,
          productId: line.productId,
          q10: line.q10,
          q50: line.q50,
          q90: line.q90,
          criticalRatio: line.criticalRatio,
          qCritical: line.qCritical,
          quantity: line.quantity,
          overrideQuantity: override?.quantity ?? null,
          overriddenByUserId: override?.userId ?? null,
          expectedSold: line.expectedSold,
          expectedRevenueMinor: BigInt(line.expectedRevenueMinor),
          modelRung: line.modelRung,
          dataSufficiency: line.dataSufficiency,
          explanation: line.explanation as object,
          demandQuantiles: [...(line.demandQuantiles ?? [])],
        };
      }),
    });
    return created.id;
  }

  /**
   * Sets (or clears, with null) the vendor's own quantity of one product on a prep list.
   * Returns false when the list has no line for that product.
   */
  async setOverride(options: {
    recommendationId: string;
    productId: string;
    overrideQuantity: number | null;
    userId: string | null;
  }): Promise<boolean> {
    const result = await this.tx.recommendationLine.updateMany({
      where: { recommendationId: options.recommendationId, productId: options.productId },
      data: {
        overrideQuantity: options.overrideQuantity,
        overriddenByUserId: options.overrideQuantity === null ? null : options.userId,
      },
    });
    return result.count > 0;
  }
}
