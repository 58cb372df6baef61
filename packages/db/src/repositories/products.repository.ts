import { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import { rethrowUniqueViolation, type NameCursor } from './markets.repository';

/**
 * The owner's season setting of a product as stored (`products.season`, checked by the API with
 * ProductSeasonSchema of packages/contracts). A product without one (null) is learned from its
 * history, at every market.
 */
export interface ProductSeasonRecord {
  mode: 'learned' | 'always' | 'months';
  /** In-season months, 1 = January. */
  months?: number[];
  /** In-season `MM-DD` ranges, inclusive, possibly wrapping New Year. */
  ranges?: { from: string; to: string }[];
  /** Ids of the vendor's markets the product is never brought to. */
  excludedMarkets?: string[];
}

const SEASON_MODES: ReadonlySet<string> = new Set(['learned', 'always', 'months']);
const MONTH_DAY = /^\d{2}-\d{2}$/;
const isMonthDay = (value: unknown): value is string =>
  typeof value === 'string' && MONTH_DAY.test(value);

/**
 * A stored season as plain data. The API validated it on the way in and a CHECK constraint keeps
 * its mode readable; anything else a hand edit left in an array is dropped here rather than
 * trusted, so a reader never sees a value of the wrong type.
 */
export function toProductSeason(value: Prisma.JsonValue | null): ProductSeasonRecord | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const mode = value.mode;
  if (typeof mode !== 'string' || !SEASON_MODES.has(mode)) return null;
  const list = <T>(raw: Prisma.JsonValue | undefined, pick: (item: unknown) => T | undefined) =>
    Array.isArray(raw)
      ? raw.flatMap((item) => {
          const picked = pick(item);
          return picked === undefined ? [] : [picked];
        })
      : undefined;
  const months = list(value.months, (m) => (Number.isInteger(m) ? (m as number) : undefined));
  const ranges = list(value.ranges, (r) => {
    const { from, to } = (r ?? {}) as { from?: unknown; to?: unknown };
    return isMonthDay(from) && isMonthDay(to) ? { from, to } : undefined;
  });
  const excludedMarkets = list(value.excludedMarkets, (id) =>
    typeof id === 'string' ? id : undefined,
  );
  return {
    mode: mode as ProductSeasonRecord['mode'],
    ...(months ? { months } : {}),
    ...(ranges ? { ranges } : {}),
    ...(excludedMarkets ? { excludedMarkets } : {}),
  };
}

/**
 * The owner's planning facts of a product as stored (`products.planning`, checked by the API with
 * ProductPlanningSchema of packages/contracts); null = the defaults (see docs/week-plan.md).
 */
export interface ProductPlanningRecord {
  batchSize: number;
  standingMinimum: number;
  marketMinimums: { marketId: string; units: number }[];
  decisionDeadline: { daysBefore: number; time: string } | null;
  capacity: { units: number; period: 'week' | 'day' } | null;
}

const wholeAtLeast = (value: unknown, min: number): number | undefined =>
  Number.isInteger(value) && (value as number) >= min ? (value as number) : undefined;

/** Stored planning facts as plain data; a malformed part falls back to its default. */
export function toProductPlanning(value: Prisma.JsonValue | null): ProductPlanningRecord | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const deadline = value.decisionDeadline as { daysBefore?: unknown; time?: unknown } | null;
  const capacity = value.capacity as { units?: unknown; period?: unknown } | null;
  const daysBefore = wholeAtLeast(deadline?.daysBefore, 0);
  const units = wholeAtLeast(capacity?.units, 1);
  return {
    batchSize: wholeAtLeast(value.batchSize, 1) ?? 1,
    standingMinimum: wholeAtLeast(value.standingMinimum, 0) ?? 0,
    marketMinimums: Array.isArray(value.marketMinimums)
      ? value.marketMinimums.flatMap((entry) => {
          const { marketId, units: minimum } = (entry ?? {}) as {
            marketId?: unknown;
            units?: unknown;
          };
          const whole = wholeAtLeast(minimum, 0);
          return typeof marketId === 'string' && whole !== undefined
            ? [{ marketId, units: whole }]
            : [];
        })
      : [],
    decisionDeadline:
      daysBefore !== undefined &&
      typeof deadline?.time === 'string' &&
      /^\d{2}:\d{2}$/.test(deadline.time)
        ? { daysBefore, time: deadline.time }
        : null,
    capacity:
      units !== undefined && (capacity?.period === 'week' || capacity?.period === 'day')
        ? { units, period: capacity.period }
        : null,
  };
}

/** Planning facts as a JSON column value: SQL NULL for the defaults. */
function planningColumn(planning: ProductPlanningRecord | null) {
  return planning === null ? Prisma.DbNull : (planning as unknown as Prisma.InputJsonObject);
}

/** A season as a JSON column value: SQL NULL for none. */
function seasonColumn(season: ProductSeasonRecord | null) {
  return season === null ? Prisma.DbNull : (season as unknown as Prisma.InputJsonObject);
}

/** A product as the apps see it (plain data). */
export interface ProductRecord {
  id: string;
  name: string;
  unit: string;
  category: string | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  shelfLifeDays: number | null;
  expectedDailyUnits: number | null;
  active: boolean;
  /** The owner's season setting; null = learned from the history, at every market. */
  season: ProductSeasonRecord | null;
  /** The owner's planning facts (the week's plan); null = the defaults. */
  planning: ProductPlanningRecord | null;
  squareItemId: string | null;
  squareVariationId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The writable fields of a product. */
export interface ProductFields {
  name: string;
  unit: string;
  category: string | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
  shelfLifeDays: number | null;
  expectedDailyUnits: number | null;
  active: boolean;
  season: ProductSeasonRecord | null;
  /** Absent on create: the defaults (null). */
  planning?: ProductPlanningRecord | null;
}

const select = {
  id: true,
  name: true,
  unit: true,
  category: true,
  priceMinor: true,
  unitCostMinor: true,
  salvageValueMinor: true,
  shelfLifeDays: true,
  expectedDailyUnits: true,
  active: true,
  season: true,
  planning: true,
  squareItemId: true,
  squareVariationId: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.ProductSelect;

function toRecord(row: Prisma.ProductGetPayload<{ select: typeof select }>): ProductRecord {
  return {
    ...row,
    expectedDailyUnits: row.expectedDailyUnits?.toNumber() ?? null,
    season: toProductSeason(row.season),
    planning: toProductPlanning(row.planning),
  };
}

/** Products of the current tenant. Takes a tenant-scoped transaction (see withTenant). */
export class ProductsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Products by name (then id), filtered by active flag, exact category and part of the name. */
  async listProducts(options: {
    active?: boolean;
    category?: string;
    search?: string;
    after?: NameCursor;
    take: number;
  }): Promise<ProductRecord[]> {
    const after = options.after;
    const rows = await this.tx.product.findMany({
      where: {
        ...(options.active === undefined ? {} : { active: options.active }),
        ...(options.category ? { category: options.category } : {}),
        ...(options.search ? { name: { contains: options.search, mode: 'insensitive' } } : {}),
        ...(after
          ? { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] }
          : {}),
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: options.take,
      select,
    });
    return rows.map(toRecord);
  }

  /** One product of the vendor, or null. */
  async findProduct(id: string): Promise<ProductRecord | null> {
    const row = await this.tx.product.findFirst({ where: { id }, select });
    return row ? toRecord(row) : null;
  }

  /** Whether another product of the vendor already has this name. */
  async isNameTaken(name: string, exceptId?: string): Promise<boolean> {
    const row = await this.tx.product.findFirst({
      where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true },
    });
    return row !== null;
  }

  /** Creates a product. Throws UniqueViolationError on a taken name. */
  async createProduct(vendorId: string, fields: ProductFields): Promise<ProductRecord> {
    const row = await rethrowUniqueViolation('name', () =>
      this.tx.product.create({
        data: {
          vendorId,
          ...fields,
          season: seasonColumn(fields.season),
          planning: planningColumn(fields.planning ?? null),
        },
        select,
      }),
    );
    return toRecord(row);
  }

  /** Changes the given fields (and `updatedAt`). Throws UniqueViolationError on a taken name. */
  async updateProduct(id: string, fields: Partial<ProductFields>): Promise<ProductRecord> {
    const { season, planning, ...rest } = fields;
    const data = {
      ...rest,
      // Absent: the stored season stays (a PATCH of the price never drops it).
      ...(season === undefined ? {} : { season: seasonColumn(season) }),
      ...(planning === undefined ? {} : { planning: planningColumn(planning) }),
      updatedAt: new Date(),
    };
    const row = await rethrowUniqueViolation('name', () =>
      this.tx.product.update({ where: { id }, data, select }),
    );
    return toRecord(row);
  }

  /** Which of `marketIds` are not markets of the vendor (unknown, or another vendor's). */
  async findUnknownMarketIds(marketIds: readonly string[]): Promise<string[]> {
    if (marketIds.length === 0) return [];
    const known = await this.tx.market.findMany({
      where: { id: { in: [...marketIds] } },
      select: { id: true },
    });
    const ids = new Set(known.map((market) => market.id));
    return marketIds.filter((id) => !ids.has(id));
  }
}
