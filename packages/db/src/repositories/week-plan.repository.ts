import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import { toProductPlanning, type ProductPlanningRecord } from './products.repository';
import { emitWebhookEvent } from './webhooks.repository';

/** A pre-order or standing order as the apps see it. */
export interface PreOrderRecord {
  id: string;
  productId: string;
  marketId: string;
  customerName: string;
  quantity: number;
  repeat: 'once' | 'weekly';
  /** YYYY-MM-DD. */
  firstDate: string;
  untilDate: string | null;
  notes: string | null;
  /** Pickup dates (YYYY-MM-DD, ascending) that did not happen: no-shows and days called off. */
  missedPickups: string[];
  createdAt: Date;
}

/** A pre-order to store. */
export interface NewPreOrder {
  vendorId: string;
  productId: string;
  marketId: string;
  customerName: string;
  quantity: number;
  repeat: 'once' | 'weekly';
  firstDate: string;
  untilDate: string | null;
  notes: string | null;
}

/** One product's frozen quantities for one market day. */
export interface WeekPlanFreezeRecord {
  productId: string;
  marketId: string;
  marketDate: string;
  deadlineAt: Date;
  frozenAt: Date;
  make: number;
  bring: number;
  /** The plan's day as computed at the deadline. */
  line: unknown;
}

/** What the vendor was last told to make for one product on one market day (outlook alerts). */
export interface WeekPlanOutlookRecord {
  productId: string;
  marketId: string;
  /** YYYY-MM-DD. */
  marketDate: string;
  /** `make` when first seen in a plan. */
  baseline: number;
  /** `make` as last told (the baseline or the last outlook-changed alert). */
  notified: number;
  /** An outlook change away from the baseline was sent and has not cleared. */
  changed: boolean;
  /** Rain is forecast that would move `make` beyond the vendor's threshold. */
  rainFeared: boolean;
}

/** Everything the week's plan reads besides the prep lists. */
export interface WeekPlanInputs {
  /** Active markets, with their ISO 3166 country and region (holidays). */
  markets: {
    id: string;
    name: string;
    timezone: string;
    countryCode: string;
    regionCode: string | null;
  }[];
  /** Scheduled days of active markets in the week, by date. */
  marketDays: { id: string; marketId: string; date: string }[];
  products: {
    id: string;
    name: string;
    unit: string;
    priceMinor: number;
    unitCostMinor: number;
    salvageValueMinor: number;
    shelfLifeDays: number | null;
    planning: ProductPlanningRecord | null;
  }[];
  /** Orders with a possible pickup in the week (the caller expands weekly ones to dates). */
  preOrders: PreOrderRecord[];
  /**
   * Per product, the kept stock (left over, neither wasted nor donated) of its latest check-in
   * before the week, within `keptLookbackDays`: later check-ins count what was carried.
   */
  kept: { productId: string; date: string; units: number }[];
  /** The kept stock of each check-in of a market day in the week (per product and market day). */
  keptInWeek: { productId: string; marketId: string; date: string; units: number }[];
  freezes: WeekPlanFreezeRecord[];
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const iso = (value: Date) => value.toISOString().slice(0, 10);

const preOrderSelect = {
  id: true,
  productId: true,
  marketId: true,
  customerName: true,
  quantity: true,
  repeat: true,
  firstDate: true,
  untilDate: true,
  notes: true,
  createdAt: true,
  missedPickups: { select: { marketDate: true }, orderBy: { marketDate: 'asc' } },
} as const satisfies Prisma.PreOrderSelect;

function toPreOrder(
  row: Prisma.PreOrderGetPayload<{ select: typeof preOrderSelect }>,
): PreOrderRecord {
  return {
    ...row,
    repeat: row.repeat === 'weekly' ? ('weekly' as const) : ('once' as const),
    firstDate: iso(row.firstDate),
    untilDate: row.untilDate ? iso(row.untilDate) : null,
    missedPickups: row.missedPickups.map((missed) => iso(missed.marketDate)),
  };
}

/** Orders that may have a pickup in [from, to]. */
function overlapping(from?: string, to?: string): Prisma.PreOrderWhereInput {
  return {
    AND: [
      to ? { firstDate: { lte: day(to) } } : {},
      from
        ? {
            OR: [
              { repeat: 'once', firstDate: { gte: day(from) } },
              { repeat: 'weekly', OR: [{ untilDate: null }, { untilDate: { gte: day(from) } }] },
            ],
          }
        : {},
    ],
  };
}

/**
 * The week's plan: its inputs, pre-orders and frozen quantities. Takes a tenant-scoped
 * transaction (see withTenant).
 */
export class WeekPlanRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The inputs of the week [from, to] (local dates). */
  async loadWeekInputs(options: {
    from: string;
    to: string;
    keptLookbackDays: number;
  }): Promise<WeekPlanInputs> {
    const { from, to } = options;
    const markets = await this.tx.market.findMany({
      where: { active: true, archivedAt: null },
      select: { id: true, name: true, timezone: true, countryCode: true, regionCode: true },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    const marketDays = await this.tx.marketDay.findMany({
      where: {
        marketId: { in: markets.map((m) => m.id) },
        status: 'SCHEDULED',
        date: { gte: day(from), lte: day(to) },
      },
      select: { id: true, marketId: true, date: true },
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    });
    const products = await this.tx.product.findMany({
      where: { active: true },
      select: {
        id: true,
        name: true,
        unit: true,
        priceMinor: true,
        unitCostMinor: true,
        salvageValueMinor: true,
        shelfLifeDays: true,
        planning: true,
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    const preOrders = await this.listPreOrders({ from, to });
    const lookback = new Date(day(from).getTime() - options.keptLookbackDays * 86_400_000);
    const checkIns = await this.tx.feedback.findMany({
      where: { marketDay: { date: { gte: lookback, lte: day(to) } } },
      select: {
        productId: true,
        leftOver: true,
        wasted: true,
        donated: true,
        marketDay: { select: { date: true, marketId: true } },
      },
      orderBy: [{ marketDay: { date: 'desc' } }],
    });
    const latest = new Map<string, { productId: string; date: string; units: number }>();
    const keptInWeek: WeekPlanInputs['keptInWeek'] = [];
    for (const row of checkIns) {
      const date = iso(row.marketDay.date);
      const units = Math.floor(row.leftOver.minus(row.wasted).minus(row.donated).toNumber());
      if (date >= from) {
        keptInWeek.push({
          productId: row.productId,
          marketId: row.marketDay.marketId,
          date,
          units: Math.max(0, units),
        });
        continue;
      }
      const seen = latest.get(row.productId);
      if (seen && seen.date > date) continue;
      // Two markets on the latest date: their kept stock adds up.
      latest.set(row.productId, {
        productId: row.productId,
        date,
        units: (seen?.date === date ? seen.units : 0) + Math.max(0, units),
      });
    }
    const freezes = await this.tx.weekPlanFreeze.findMany({
      where: { marketDate: { gte: day(from), lte: day(to) } },
      select: {
        productId: true,
        marketId: true,
        marketDate: true,
        deadlineAt: true,
        frozenAt: true,
        make: true,
        bring: true,
        line: true,
      },
    });
    return {
      markets,
      marketDays: marketDays.map((d) => ({ ...d, date: iso(d.date) })),
      products: products.map((p) => ({ ...p, planning: toProductPlanning(p.planning) })),
      preOrders,
      kept: [...latest.values()].filter((k) => k.units > 0),
      keptInWeek,
      freezes: freezes.map((f) => ({ ...f, marketDate: iso(f.marketDate) })),
    };
  }

  /** Stores frozen quantities; a (product, market, date) already frozen keeps its first freeze. */
  async freeze(
    rows: readonly (Omit<WeekPlanFreezeRecord, 'frozenAt'> & { vendorId: string })[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const created = await this.tx.weekPlanFreeze.createManyAndReturn({
      data: rows.map((row) => ({
        vendorId: row.vendorId,
        productId: row.productId,
        marketId: row.marketId,
        marketDate: day(row.marketDate),
        deadlineAt: row.deadlineAt,
        make: row.make,
        bring: row.bring,
        line: row.line as Prisma.InputJsonValue,
      })),
      skipDuplicates: true,
      select: {
        vendorId: true,
        productId: true,
        marketId: true,
        marketDate: true,
        deadlineAt: true,
        frozenAt: true,
        make: true,
        bring: true,
      },
    });
    // Webhooks out (issue 20): `plan.committed` once per market day whose quantities this call
    // froze, in the same transaction (a freeze another run already made sends nothing again).
    const byDay = new Map<string, typeof created>();
    for (const row of created) {
      const key = `${row.marketId}|${iso(row.marketDate)}`;
      byDay.set(key, [...(byDay.get(key) ?? []), row]);
    }
    for (const dayRows of byDay.values()) {
      const first = dayRows[0]!;
      await emitWebhookEvent(this.tx, {
        vendorId: first.vendorId,
        type: 'plan.committed',
        data: {
          marketId: first.marketId,
          date: iso(first.marketDate),
          deadlineAt: first.deadlineAt.toISOString(),
          products: dayRows.map((r) => ({ productId: r.productId, make: r.make, bring: r.bring })),
        },
        now: first.frozenAt,
      });
    }
    return created.length;
  }

  /**
   * The longest decision lead time (days before the market) any active product set, or null when
   * none set one (the default applies): how far ahead the worker must plan to meet every deadline.
   */
  async findLongestDecisionLead(): Promise<number | null> {
    const products = await this.tx.product.findMany({
      where: { active: true },
      select: { planning: true },
    });
    let longest: number | null = null;
    for (const product of products) {
      const days = toProductPlanning(product.planning)?.decisionDeadline?.daysBefore;
      if (days !== undefined && (longest === null || days > longest)) longest = days;
    }
    return longest;
  }

  /** The outlook rows of market dates in [from, to]. */
  async listOutlooks(options: { from: string; to: string }): Promise<WeekPlanOutlookRecord[]> {
    const rows = await this.tx.weekPlanOutlook.findMany({
      where: { marketDate: { gte: day(options.from), lte: day(options.to) } },
      select: {
        productId: true,
        marketId: true,
        marketDate: true,
        baseline: true,
        notified: true,
        changed: true,
        rainFeared: true,
      },
    });
    return rows.map((row) => ({ ...row, marketDate: iso(row.marketDate) }));
  }

  /** Stores outlook rows (insert or replace, by product, market and date). */
  async saveOutlooks(
    vendorId: string,
    rows: readonly WeekPlanOutlookRecord[],
    now: Date,
  ): Promise<void> {
    for (const row of rows) {
      const data = {
        baseline: row.baseline,
        notified: row.notified,
        changed: row.changed,
        rainFeared: row.rainFeared,
        updatedAt: now,
      };
      await this.tx.weekPlanOutlook.upsert({
        where: {
          vendorId_productId_marketId_marketDate: {
            vendorId,
            productId: row.productId,
            marketId: row.marketId,
            marketDate: day(row.marketDate),
          },
        },
        create: {
          vendorId,
          productId: row.productId,
          marketId: row.marketId,
          marketDate: day(row.marketDate),
          ...data,
        },
        update: data,
      });
    }
  }

  /** Pre-orders with a possible pickup in [from, to] (either open), by first date. */
  async listPreOrders(options: { from?: string; to?: string }): Promise<PreOrderRecord[]> {
    const rows = await this.tx.preOrder.findMany({
      where: overlapping(options.from, options.to),
      select: preOrderSelect,
      orderBy: [{ firstDate: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take: 5000,
    });
    return rows.map(toPreOrder);
  }

  async createPreOrder(data: NewPreOrder): Promise<PreOrderRecord> {
    const row = await this.tx.preOrder.create({
      data: {
        ...data,
        firstDate: day(data.firstDate),
        untilDate: data.untilDate ? day(data.untilDate) : null,
      },
      select: preOrderSelect,
    });
    return toPreOrder(row);
  }

  /** One pre-order of the tenant, or null. */
  async findPreOrder(id: string): Promise<PreOrderRecord | null> {
    const row = await this.tx.preOrder.findFirst({ where: { id }, select: preOrderSelect });
    return row ? toPreOrder(row) : null;
  }

  /** Marks one pickup of a pre-order as missed (`missed`) or as picked up; idempotent. */
  async setPickupMissed(options: {
    vendorId: string;
    preOrderId: string;
    date: string;
    missed: boolean;
  }): Promise<void> {
    const key = { vendorId: options.vendorId, preOrderId: options.preOrderId };
    if (options.missed) {
      await this.tx.preOrderMissedPickup.createMany({
        data: [{ ...key, marketDate: day(options.date) }],
        skipDuplicates: true,
      });
    } else {
      await this.tx.preOrderMissedPickup.deleteMany({
        where: { ...key, marketDate: day(options.date) },
      });
    }
  }

  /** The IANA zone of one of the tenant's markets, or null. */
  async marketTimezone(marketId: string): Promise<string | null> {
    const row = await this.tx.market.findFirst({
      where: { id: marketId },
      select: { timezone: true },
    });
    return row?.timezone ?? null;
  }

  /** Ends a weekly pre-order after its pickup on `untilDate`; missed pickups after it go too. */
  async endPreOrder(options: { id: string; untilDate: string }): Promise<void> {
    await this.tx.preOrder.update({
      where: { id: options.id },
      data: { untilDate: day(options.untilDate) },
    });
    await this.tx.preOrderMissedPickup.deleteMany({
      where: { preOrderId: options.id, marketDate: { gt: day(options.untilDate) } },
    });
  }

  /** Deletes one pre-order; false when the tenant has none with this id. */
  async deletePreOrder(id: string): Promise<boolean> {
    const result = await this.tx.preOrder.deleteMany({ where: { id } });
    return result.count > 0;
  }

  /** Whether the product is an active one of the tenant and the day a scheduled market day. */
  async findPickupTarget(options: {
    productId: string;
    marketId: string;
    date: string;
  }): Promise<{ product: boolean; market: boolean; marketDay: boolean }> {
    const [product, market, marketDay] = await Promise.all([
      this.tx.product.findFirst({ where: { id: options.productId }, select: { id: true } }),
      this.tx.market.findFirst({
        where: { id: options.marketId, archivedAt: null },
        select: { id: true },
      }),
      this.tx.marketDay.findFirst({
        where: { marketId: options.marketId, date: day(options.date), status: 'SCHEDULED' },
        select: { id: true },
      }),
    ]);
    return { product: product !== null, market: market !== null, marketDay: marketDay !== null };
  }
}
