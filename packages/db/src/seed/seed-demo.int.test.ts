import { randomUUID } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../tenant';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { ADMIN_LOGIN, DEMO_LOGIN, DEMO_VENDOR_ID, seedDemoVendor } from './seed-demo';

let db: TestDatabase;
const now = new Date('2026-11-22T12:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('seedDemoVendor', () => {
  it('seeds an empty database with a demo vendor that has two years of history', async () => {
    const result = await seedDemoVendor({ prisma: db.app.prisma, today: '2026-11-22', now });

    expect(result.seeded).toBe(true);
    expect(result.vendorId).toBe(DEMO_VENDOR_ID);
    const seen = await withTenant(db.app.prisma, DEMO_VENDOR_ID, async (tx) => ({
      markets: await tx.market.count(),
      products: await tx.product.count(),
      days: await tx.dailySales.aggregate({
        _min: { date: true },
        _max: { date: true },
        _count: true,
      }),
      weather: await tx.weather.count(),
      soldOut: await tx.feedback.count({ where: { soldOutAt: { not: null } } }),
      upcoming: await tx.marketDay.count({ where: { date: { gte: new Date('2026-11-22') } } }),
    }));
    expect(seen.markets).toBeGreaterThanOrEqual(2);
    expect(seen.markets).toBeLessThanOrEqual(3);
    expect(seen.products).toBeGreaterThanOrEqual(20);
    expect(seen.days._count).toBeGreaterThan(3_000);
    const spanDays = (seen.days._max.date!.getTime() - seen.days._min.date!.getTime()) / 86_400_000;
    expect(spanDays).toBeGreaterThan(700);
    expect(seen.days._max.date!.toISOString().slice(0, 10) < '2026-11-22').toBe(true);
    expect(seen.weather).toBeGreaterThan(100);
    expect(seen.soldOut).toBeGreaterThan(0);
    expect(seen.upcoming).toBeGreaterThan(0);

    const user = await db.app.prisma.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email } });
    expect(await verify(user.passwordHash, DEMO_LOGIN.password)).toBe(true);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);

    // The platform admin: can sign in, is an admin, belongs to no business.
    const admin = await db.app.prisma.user.findUniqueOrThrow({
      where: { email: ADMIN_LOGIN.email },
    });
    expect(await verify(admin.passwordHash, ADMIN_LOGIN.password)).toBe(true);
    expect(await db.app.prisma.platformAdmin.count({ where: { userId: admin.id } })).toBe(1);
    expect(await db.app.prisma.membership.count({ where: { userId: admin.id } })).toBe(0);
  });

  it('changes nothing when run again', async () => {
    const before = await withTenant(db.app.prisma, DEMO_VENDOR_ID, (tx) => tx.sale.count());
    const again = await seedDemoVendor({ prisma: db.app.prisma, today: '2026-11-22', now });
    expect(again).toEqual({ vendorId: DEMO_VENDOR_ID, seeded: false, reason: 'already-seeded' });
    expect(await withTenant(db.app.prisma, DEMO_VENDOR_ID, (tx) => tx.sale.count())).toBe(before);
  });

  it('is invisible to every other tenant', async () => {
    const other = await withTenant(db.app.prisma, randomUUID(), (tx) => tx.sale.count());
    expect(other).toBe(0);
  });

  it('does not seed a database that already has users', async () => {
    const fresh = await createTestDatabase();
    try {
      await fresh.app.prisma.user.create({
        data: { email: 'real@vendor.test', name: 'Real', passwordHash: 'x' },
      });
      const result = await seedDemoVendor({ prisma: fresh.app.prisma, today: '2026-11-22', now });
      expect(result).toEqual({
        vendorId: DEMO_VENDOR_ID,
        seeded: false,
        reason: 'database-not-empty',
      });
      expect(await withTenant(fresh.app.prisma, DEMO_VENDOR_ID, (tx) => tx.vendor.count())).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
