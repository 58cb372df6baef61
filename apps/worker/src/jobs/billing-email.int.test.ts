import { randomUUID } from 'node:crypto';
import { MembershipsRepository, UsersRepository, withScope } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingEmailHandler } from './billing-email.handler';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('billing-email job', () => {
  it('mails the owner named by the payload, and refuses a bad payload', async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@example.com`;
    const user = (await new UsersRepository(db.app.prisma).createUser({
      email,
      name: 'Owner',
      passwordHash: 'x',
    }))!;
    const vendorId = randomUUID();
    await withScope(db.app.prisma, { vendorId, userId: user.id }, (tx) =>
      new MembershipsRepository(tx).createVendorWithOwner({
        vendorId,
        userId: user.id,
        name: 'Mail Bakery',
        slug: `mail-${vendorId.slice(0, 8)}`,
      }),
    );
    const sent: { to: string; subject: string; text: string }[] = [];
    const handler = createBillingEmailHandler({
      db: db.app,
      mailer: { send: (m) => Promise.resolve(void sent.push(m)) },
    });
    const payload = {
      vendorId,
      userId: user.id,
      kind: 'billing.payment_failed',
      subject: 'Payment failed: update your card',
      text: 'We could not charge your card.',
    };
    expect(await handler(payload, { jobId: 'j1' })).toEqual({ sent: true });
    expect(sent).toEqual([{ to: email, subject: payload.subject, text: payload.text }]);
    // Someone who is not a member of that business gets nothing.
    expect(await handler({ ...payload, userId: randomUUID() }, { jobId: 'j2' })).toEqual({
      sent: false,
      reason: 'not-a-member',
    });
    expect(sent).toHaveLength(1);
    await expect(handler({ ...payload, kind: 'other' }, { jobId: 'j3' })).rejects.toThrow(
      /Invalid payload/,
    );
  });
});
