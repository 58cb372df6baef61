import { randomUUID } from 'node:crypto';
import { CheckInSchema } from '@marketprep/contracts';
import { withTenant } from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { seedShop, type Shop } from './check-ins.fixtures';

// Two phones checking in the same market day (issue 14 item 3): a line sent with the version its
// form was loaded with is refused when the saved copy moved on, and nothing of that save lands.
const NOW = new Date('2026-11-22T20:00:00Z');
const SATURDAY = '2026-11-21';

let h: Harness;
let owner: Agent;
let shop: Shop;
let url: string;

const line = (
  productId: string | undefined,
  brought: number,
  extra: Record<string, unknown> = {},
) => ({
  productId: productId ?? '',
  brought,
  sold: brought - 2,
  leftOver: 2,
  wasted: 0,
  donated: 0,
  ...extra,
});

async function saved(): Promise<Map<string, { brought: number; updatedAt: string | null }>> {
  const response = await h.call(owner, 'GET', url);
  expect(response.statusCode).toBe(200);
  const checkIn = CheckInSchema.parse(response.json());
  return new Map(
    checkIn.lines
      .filter((l) => l.checkedIn)
      .map((l) => [l.productId, { brought: l.brought ?? 0, updatedAt: l.updatedAt }]),
  );
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  owner = await h.signup({ vendorName: 'Two Phones Bakery' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: { name: 'Riverside', schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }] },
    products: [
      { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 0 },
      { key: 'pie', name: 'Pie', priceMinor: 1200, unitCostMinor: 500, salvageValueMinor: 0 },
    ],
    days: [{ date: SATURDAY }],
  });
  url = `/v1/markets/${shop.marketId}/check-ins/${SATURDAY}`;
});
afterAll(() => h.close());

describe('PUT check-in with expectedUpdatedAt', () => {
  it('refuses a stale line with 409 naming the product and writes nothing of the submission', async () => {
    const bread = shop.productIds.bread ?? '';
    const pie = shop.productIds.pie ?? '';
    // Phone A saves bread on a form that had no saved lines.
    const first = await h.call(owner, 'PUT', url, {
      clientSubmissionId: randomUUID(),
      lines: [line(bread, 40, { expectedUpdatedAt: null })],
    });
    expect(first.statusCode).toBe(200);
    const afterA = await saved();
    expect(afterA.get(bread)?.brought).toBe(40);

    // Phone B loaded the form before A saved: bread had no line then. Its save of bread and pie
    // is refused as a whole; pie is not written either.
    const stale = await h.call(owner, 'PUT', url, {
      clientSubmissionId: randomUUID(),
      lines: [
        line(bread, 30, { expectedUpdatedAt: null }),
        line(pie, 12, { expectedUpdatedAt: null }),
      ],
    });
    expect(stale.statusCode).toBe(409);
    const problem = stale.json<{ detail: string; errors: { path: string; message: string }[] }>();
    expect(problem.detail).toMatch(/nothing was saved/);
    expect(problem.errors.map((e) => e.path)).toEqual(['lines.0.expectedUpdatedAt']);
    expect(problem.errors[0]?.message).toMatch(/^Bread was saved by someone else/);
    const afterStale = await saved();
    expect(afterStale.get(bread)?.brought).toBe(40);
    expect(afterStale.has(pie)).toBe(false);

    // With the current version (as the form shows it after a reload) the save goes through.
    const current = await h.call(owner, 'PUT', url, {
      clientSubmissionId: randomUUID(),
      lines: [line(bread, 30, { expectedUpdatedAt: afterA.get(bread)?.updatedAt })],
    });
    expect(current.statusCode).toBe(200);
    expect((await saved()).get(bread)?.brought).toBe(30);

    // A stale version (A's, now overwritten) is a conflict too.
    const older = await h.call(owner, 'PUT', url, {
      clientSubmissionId: randomUUID(),
      lines: [line(bread, 25, { expectedUpdatedAt: afterA.get(bread)?.updatedAt })],
    });
    expect(older.statusCode).toBe(409);
    expect((await saved()).get(bread)?.brought).toBe(30);
  });

  it('lets a retry of an accepted submission replay instead of conflicting with itself', async () => {
    const pie = shop.productIds.pie ?? '';
    const submission = {
      clientSubmissionId: randomUUID(),
      lines: [line(pie, 10, { expectedUpdatedAt: null })],
    };
    expect((await h.call(owner, 'PUT', url, submission)).statusCode).toBe(200);
    const retry = await h.call(owner, 'PUT', url, submission);
    expect(retry.statusCode).toBe(200);
    expect(retry.json<{ replayed: boolean }>().replayed).toBe(true);
  });

  it('lets exactly one of two simultaneous saves of the same new line through', async () => {
    const bread = shop.productIds.bread ?? '';
    const date = '2026-11-14';
    const dayUrl = `/v1/markets/${shop.marketId}/check-ins/${date}`;
    const answers = await Promise.all(
      [21, 22].map((brought) =>
        h.call(owner, 'PUT', dayUrl, {
          clientSubmissionId: randomUUID(),
          lines: [line(bread, brought, { expectedUpdatedAt: null })],
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const rows = await withTenant(h.db.app.prisma, owner.vendorId!, (tx) =>
      tx.feedback.findMany({ where: { marketDay: { date: new Date(`${date}T00:00:00Z`) } } }),
    );
    expect(rows).toHaveLength(1);
  });

  it('keeps last-write-wins for a line sent without a version', async () => {
    const bread = shop.productIds.bread ?? '';
    const response = await h.call(owner, 'PUT', url, {
      clientSubmissionId: randomUUID(),
      lines: [line(bread, 33)],
    });
    expect(response.statusCode).toBe(200);
    expect((await saved()).get(bread)?.brought).toBe(33);
  });

  it('answers 400 for a version that is not an instant', async () => {
    const response = await h.call(owner, 'PUT', url, {
      clientSubmissionId: randomUUID(),
      lines: [line(shop.productIds.bread, 5, { expectedUpdatedAt: 'yesterday' })],
    });
    expect(response.statusCode).toBe(400);
  });
});
