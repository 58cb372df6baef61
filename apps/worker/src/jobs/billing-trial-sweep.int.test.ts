import { randomUUID } from 'node:crypto';
import {
  BillingRepository,
  MembershipsRepository,
  UsersRepository,
  withScope,
} from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { loadPlansConfig } from '@marketprep/planning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTrialSweepHandler } from './billing-trial-sweep.handler';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const DAY = 86_400_000;

async function createBusiness(name: string) {
  const user = (await new UsersRepository(db.app.prisma).createUser({
    email: `owner-${randomUUID().slice(0, 8)}@example.com`,
    name: 'Owner',
    passwordHash: 'x',
  }))!;
  const vendorId = randomUUID();
  const createdAt = await withScope(db.app.prisma, { vendorId, userId: user.id }, async (tx) => {
    await new MembershipsRepository(tx).createVendorWithOwner({
      vendorId,
      userId: user.id,
      name,
      slug: `trial-${vendorId.slice(0, 8)}`,
    });
    return (await new BillingRepository(tx).findVendor())!.createdAt;
  });
  return { vendorId, userId: user.id, createdAt };
}

const noticesOf = (vendorId: string) =>
  db.adminQuery<{ kind: string; user_id: string }>(
    `SELECT kind, user_id::text AS user_id FROM notifications WHERE vendor_id = $1 ORDER BY created_at`,
    [vendorId],
  );
const emailsOf = (vendorId: string) =>
  db.adminQuery<{ kind: string }>(
    `SELECT payload->>'kind' AS kind FROM outbox
      WHERE job_name = 'billing-email' AND payload->>'vendorId' = $1 ORDER BY created_at`,
    [vendorId],
  );

describe('billing-trial-sweep job', () => {
  it('tells a business nobody opens that its trial ends, then that it ended: once each over two runs', async () => {
    const plans = loadPlansConfig();
    const quiet = await createBusiness('Quiet Farm');
    const trialEnds = quiet.createdAt.getTime() + plans.trialDays * DAY;
    let now = new Date(trialEnds - 10 * DAY);
    const handler = createBillingTrialSweepHandler({ db: db.app, now: () => now, plans });

    // Ten days left: nothing due yet.
    expect(await handler({}, { jobId: 'sweep-0' })).toMatchObject({ due: 0, ownersTold: 0 });
    expect(await noticesOf(quiet.vendorId)).toEqual([]);

    // Two days left: "ends soon", in the app and by email; the second run adds nothing.
    now = new Date(trialEnds - 2 * DAY);
    expect(await handler({}, { jobId: 'sweep-1' })).toMatchObject({ due: 1, ownersTold: 1 });
    expect(await handler({}, { jobId: 'sweep-2' })).toMatchObject({ due: 1, ownersTold: 0 });
    expect(await noticesOf(quiet.vendorId)).toEqual([
      { kind: 'billing.trial_ending', user_id: quiet.userId },
    ]);
    expect(await emailsOf(quiet.vendorId)).toEqual([{ kind: 'billing.trial_ending' }]);

    // A day after the end: "has ended", once, over two runs.
    now = new Date(trialEnds + DAY);
    expect(await handler({}, { jobId: 'sweep-3' })).toMatchObject({ due: 1, ownersTold: 1 });
    expect(await handler({}, { jobId: 'sweep-4' })).toMatchObject({ due: 1, ownersTold: 0 });
    expect((await noticesOf(quiet.vendorId)).map((n) => n.kind)).toEqual([
      'billing.trial_ending',
      'billing.trial_ended',
    ]);
    expect((await emailsOf(quiet.vendorId)).map((e) => e.kind)).toEqual([
      'billing.trial_ending',
      'billing.trial_ended',
    ]);
    await expect(handler({ extra: 1 }, { jobId: 'bad' })).rejects.toThrow(/Invalid payload/);
  });

  it('leaves alone a business with a Stripe subscription and the demo business', async () => {
    const plans = loadPlansConfig();
    const paying = await createBusiness('Paying Farm');
    await db.adminQuery(
      `INSERT INTO subscriptions (vendor_id, stripe_customer_id, stripe_subscription_id, plan, status)
       VALUES ($1, 'cus_paying', 'sub_paying', 'starter', 'ACTIVE')`,
      [paying.vendorId],
    );
    const demo = await createBusiness('Demo Farm');
    await db.adminQuery(`UPDATE vendors SET is_demo = true WHERE id = $1`, [demo.vendorId]);
    const handler = createBillingTrialSweepHandler({
      db: db.app,
      now: () => new Date(paying.createdAt.getTime() + (plans.trialDays + 1) * DAY),
      plans,
    });
    await handler({}, { jobId: 'sweep-others' });
    expect(await noticesOf(paying.vendorId)).toEqual([]);
    expect(await noticesOf(demo.vendorId)).toEqual([]);
  });
});
