import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../tenant';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { MembershipsRepository } from './memberships.repository';

let db: TestDatabase;
const vendorId = randomUUID();
const owners: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await withTenant(db.app.prisma, vendorId, (tx) =>
    tx.vendor.create({ data: { id: vendorId, name: 'two owners', slug: `two-${vendorId}` } }),
  );
  for (const n of [1, 2]) {
    const user = await db.app.prisma.user.create({
      data: { email: `owner${n}-${vendorId}@example.com`, name: `Owner ${n}`, passwordHash: 'x' },
    });
    owners.push(user.id);
    await withTenant(db.app.prisma, vendorId, (tx) =>
      tx.membership.create({ data: { vendorId, userId: user.id, role: 'OWNER' } }),
    );
  }
});
afterAll(async () => {
  await db.drop();
});

describe('MembershipsRepository.countOwners', () => {
  it('counts two owners leaving at once one after the other, so the second is the last', async () => {
    let removed: () => void = () => undefined;
    const firstRemoved = new Promise<void>((resolve) => (removed = resolve));
    // The first owner leaves and holds its transaction open; the second counts meanwhile.
    const first = withTenant(db.app.prisma, vendorId, async (tx) => {
      const repository = new MembershipsRepository(tx);
      const count = await repository.countOwners();
      await repository.removeMember(owners[0] ?? '');
      removed();
      await tx.$executeRaw`SELECT pg_sleep(0.3)`;
      return count;
    });
    await firstRemoved;
    const second = await withTenant(db.app.prisma, vendorId, (tx) =>
      new MembershipsRepository(tx).countOwners(),
    );
    expect(await first).toBe(2);
    // Without the row locks the second count reads 2 (the removal is not committed yet) and both
    // owners could leave.
    expect(second).toBe(1);
  });
});
