import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { PrismaClient } from '../generated/prisma/client';
import { withTenant, type TenantTransaction } from '../tenant';
import { generateDemoData, type DemoData } from './demo-data';

/** The demo vendor's fixed id, so every tool (launcher, docs, tests) can name it. */
export const DEMO_VENDOR_ID = '5eed0000-0000-4000-8000-000000000001';
/** The demo login printed by `npm start`. */
export const DEMO_LOGIN = { email: 'demo@marketprep.local', password: 'marketprep-demo' } as const;
/** The platform admin login printed by `npm start` (no business of its own: the health dashboard). */
export const ADMIN_LOGIN = {
  email: 'admin@marketprep.local',
  password: 'marketprep-admin',
} as const;

/** Options for {@link seedDemoVendor}. */
export interface SeedDemoOptions {
  /** An app-role client (RLS applies; the seed writes through withTenant like the app does). */
  prisma: PrismaClient;
  /** The vendor's local "today", 'YYYY-MM-DD': history ends the day before. */
  today: string;
  /** When the seed runs (fetched-at of the demo weather). */
  now: Date;
  seed?: number;
}

/** What {@link seedDemoVendor} did. */
export interface SeedDemoResult {
  vendorId: string;
  seeded: boolean;
  /** Why nothing was written, when `seeded` is false. */
  reason?: 'already-seeded' | 'database-not-empty';
  counts?: Record<string, number>;
}

const CHUNK = 2_000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const time = (hhmm: string) => new Date(`1970-01-01T${hhmm}:00Z`);

/**
 * Seeds the demo vendor (markets, products, two years of market-day sales with check-ins, weather
 * and events) when the database has no users at all. Writes everything in one tenant
 * transaction: a failure leaves nothing behind. Running it again changes nothing.
 */
export async function seedDemoVendor(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { prisma } = options;
  const existing = await withTenant(prisma, DEMO_VENDOR_ID, (tx) =>
    tx.vendor.findUnique({ where: { id: DEMO_VENDOR_ID }, select: { id: true } }),
  );
  if (existing) return { vendorId: DEMO_VENDOR_ID, seeded: false, reason: 'already-seeded' };
  if ((await prisma.user.count()) > 0) {
    return { vendorId: DEMO_VENDOR_ID, seeded: false, reason: 'database-not-empty' };
  }

  const data = generateDemoData({ seed: options.seed ?? 42, today: options.today });
  const passwordHash = await hash(DEMO_LOGIN.password);
  const user = await prisma.user.create({
    data: {
      email: DEMO_LOGIN.email,
      name: 'Demo Vendor',
      passwordHash,
      emailVerifiedAt: options.now,
    },
    select: { id: true },
  });
  // The operators' account: a platform admin with no vendor membership.
  const admin = await prisma.user.create({
    data: {
      email: ADMIN_LOGIN.email,
      name: 'Platform Admin',
      passwordHash: await hash(ADMIN_LOGIN.password),
      emailVerifiedAt: options.now,
    },
    select: { id: true },
  });
  await prisma.platformAdmin.create({ data: { userId: admin.id } });
  const counts = await withTenant(
    prisma,
    DEMO_VENDOR_ID,
    (tx) => writeDemoData(tx, data, user.id, options.now, options.today),
    {
      timeoutMs: 180_000,
    },
  );
  return { vendorId: DEMO_VENDOR_ID, seeded: true, counts };
}

async function writeDemoData(
  tx: TenantTransaction,
  data: DemoData,
  userId: string,
  now: Date,
  today: string,
) {
  const vendorId = DEMO_VENDOR_ID;
  await tx.vendor.create({ data: { id: vendorId, ...data.vendor, isDemo: true } });
  await tx.membership.create({ data: { vendorId, userId, role: 'OWNER' } });

  const marketIds = new Map(data.markets.map((m) => [m.key, randomUUID()]));
  const productIds = new Map(data.products.map((p) => [p.key, randomUUID()]));
  const marketDayIds = new Map(
    data.marketDays.map((d) => [`${d.marketKey}|${d.date}`, randomUUID()]),
  );
  const id = <K>(map: Map<K, string>, key: K): string => {
    const value = map.get(key);
    if (!value) throw new Error(`demo data refers to unknown ${String(key)}`);
    return value;
  };

  await tx.market.createMany({
    data: data.markets.map((m) => ({
      id: id(marketIds, m.key),
      vendorId,
      name: m.name,
      address: m.address,
      latitude: m.latitude,
      longitude: m.longitude,
      timezone: m.timezone,
      countryCode: m.countryCode,
      regionCode: m.regionCode,
      boothFeeMinor: m.boothFeeMinor,
    })),
  });
  await tx.marketSchedule.createMany({
    data: data.markets.flatMap((m) =>
      m.schedule.map((s) => ({
        vendorId,
        marketId: id(marketIds, m.key),
        weekday: s.weekday,
        opensAt: time(s.opensAt),
        closesAt: time(s.closesAt),
        // Seasons repeat every year; stored on the demo's first year as the reference.
        seasonFrom: s.seasonFrom ? day(`2000-${s.seasonFrom}`) : null,
        seasonTo: s.seasonTo ? day(`2000-${s.seasonTo}`) : null,
      })),
    ),
  });
  await tx.product.createMany({
    data: data.products.map((p) => ({
      id: id(productIds, p.key),
      vendorId,
      name: p.name,
      unit: p.unit,
      category: p.category,
      priceMinor: p.priceMinor,
      unitCostMinor: p.unitCostMinor,
      salvageValueMinor: p.salvageValueMinor,
      shelfLifeDays: p.shelfLifeDays,
    })),
  });
  await inChunks(data.marketDays, (chunk) =>
    tx.marketDay.createMany({
      data: chunk.map((d) => ({
        id: id(marketDayIds, `${d.marketKey}|${d.date}`),
        vendorId,
        marketId: id(marketIds, d.marketKey),
        date: day(d.date),
        status: d.status,
        opensAt: new Date(d.opensAt),
        closesAt: new Date(d.closesAt),
        notes: d.notes ?? null,
      })),
    }),
  );
  const opensAt = new Map(
    data.marketDays.map((d) => [`${d.marketKey}|${d.date}`, Date.parse(d.opensAt)]),
  );
  await inChunks(data.dailySales, (chunk) =>
    tx.sale.createMany({
      data: chunk.map((s) => ({
        vendorId,
        marketId: id(marketIds, s.marketKey),
        productId: id(productIds, s.productKey),
        source: 'DEMO' as const,
        providerOrderId: `demo-${s.marketKey}-${s.date}`,
        providerLineId: `demo-${s.marketKey}-${s.productKey}-${s.date}`,
        soldAt: new Date(
          (opensAt.get(`${s.marketKey}|${s.date}`) ?? Date.parse(`${s.date}T15:00:00Z`)) +
            2 * 3_600_000,
        ),
        marketDate: day(s.date),
        quantity: s.quantity,
        unitPriceMinor: s.unitPriceMinor,
        grossMinor: BigInt(s.quantity * s.unitPriceMinor),
      })),
    }),
  );
  await inChunks(data.dailySales, (chunk) =>
    tx.dailySales.createMany({
      data: chunk.map((s) => ({
        vendorId,
        marketId: id(marketIds, s.marketKey),
        productId: id(productIds, s.productKey),
        date: day(s.date),
        quantity: s.quantity,
        revenueMinor: BigInt(s.quantity * s.unitPriceMinor),
        lineCount: 1,
      })),
    }),
  );
  await inChunks(data.dailySales, (chunk) =>
    tx.feedback.createMany({
      data: chunk.map((s) => ({
        vendorId,
        marketDayId: id(marketDayIds, `${s.marketKey}|${s.date}`),
        productId: id(productIds, s.productKey),
        brought: s.brought,
        sold: s.quantity,
        leftOver: s.leftOver,
        wasted: s.wasted,
        donated: s.donated,
        soldOutAt: s.soldOutAt ? new Date(s.soldOutAt) : null,
        submittedByUserId: userId,
      })),
    }),
  );
  await inChunks(data.weather, (chunk) =>
    tx.weather.createMany({
      data: chunk.map((w) => ({
        vendorId,
        marketId: id(marketIds, w.marketKey),
        date: day(w.date),
        provider: 'DEMO' as const,
        kind: w.date < today ? ('OBSERVED' as const) : ('FORECAST' as const),
        fetchedAt: now,
        tempMaxC: w.tempMaxC,
        tempMinC: w.tempMinC,
        tempMeanC: Math.round(((w.tempMaxC + w.tempMinC) / 2) * 100) / 100,
        precipMm: w.precipMm,
        precipProb: w.precipProb,
        sunshineHours: w.sunshineHours,
        windKph: w.windKph,
        cloudCoverPct: w.cloudCoverPct,
      })),
    }),
  );
  await tx.event.createMany({
    data: data.events.map((e, i) => ({
      vendorId,
      marketId: id(marketIds, e.marketKey),
      source: 'VENDOR' as const,
      externalId: `demo-event-${i + 1}`,
      name: e.name,
      date: day(e.date),
      expectedAttendance: e.expectedAttendance,
    })),
  });
  return {
    markets: data.markets.length,
    products: data.products.length,
    marketDays: data.marketDays.length,
    dailySales: data.dailySales.length,
    weather: data.weather.length,
    events: data.events.length,
  };
}
