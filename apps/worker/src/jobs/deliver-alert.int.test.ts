import { randomUUID } from 'node:crypto';
import {
  AlertSettingsRepository,
  DEFAULT_ALERT_ROUTES,
  MembershipsRepository,
  NotificationsRepository,
  PushSubscriptionsRepository,
  UsersRepository,
  withScope,
  withTenant,
} from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import {
  createMailCatcher,
  createPushServiceFake,
  type PushServiceFake,
} from '@marketprep/integrations';
import pino from 'pino';
import webPush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../outbox/relay';
import { createSmtpMailer } from './billing-email.handler';
import { createDeliverEmailHandler, createDeliverPushHandler } from './deliver-alert.handler';
import { deliverEmailJob, deliverPushJob } from './deliver-alert.job';
import type { RegisteredJob } from './registry';

let db: TestDatabase;
let push: PushServiceFake;
let vendorId: string;
let ownerId: string;
let staffId: string;
const ownerEmail = `owner-${randomUUID().slice(0, 8)}@example.com`;
const staffEmail = `staff-${randomUUID().slice(0, 8)}@example.com`;
const vapid = { ...webPush.generateVAPIDKeys(), subject: 'mailto:ops@example.com' };

async function createUser(email: string) {
  return (await new UsersRepository(db.app.prisma).createUser({
    email,
    name: email,
    passwordHash: 'x',
  }))!.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  push = createPushServiceFake();
  await push.start();
  ownerId = await createUser(ownerEmail);
  staffId = await createUser(staffEmail);
  vendorId = randomUUID();
  await withScope(db.app.prisma, { vendorId, userId: ownerId }, async (tx) => {
    const memberships = new MembershipsRepository(tx);
    await memberships.createVendorWithOwner({
      vendorId,
      userId: ownerId,
      name: 'Alert Bakery',
      slug: `alert-${vendorId.slice(0, 8)}`,
    });
  });
  await db.adminQuery(
    `INSERT INTO memberships (vendor_id, user_id, role) VALUES ($1, $2, 'STAFF')`,
    [vendorId, staffId],
  );
});
afterAll(async () => {
  await push.stop();
  await db.drop();
});

/** Outbox rows of one notification. */
async function deliveryRows(notificationId: string) {
  return db.adminQuery<{ id: string; job_name: string; status: string; attempts: number }>(
    `SELECT id::text, job_name, status, attempts FROM outbox WHERE payload->>'notificationId' = $1 ORDER BY job_name`,
    [notificationId],
  );
}

async function notify(kind: string, dedupeKey?: string, userId?: string) {
  return withTenant(db.app.prisma, vendorId, (tx) =>
    new NotificationsRepository(tx).createNotification({
      vendorId,
      userId: userId ?? null,
      kind,
      title: `Bake for Saturday by 20:00 (${kind})`,
      body: 'Sourdough: 48, Baguette: 30.',
      data: { url: '/plans/week' },
      dedupeKey,
    }),
  );
}

async function subscribe(userId: string) {
  const subscription = push.createSubscription();
  await withTenant(db.app.prisma, vendorId, (tx) =>
    new PushSubscriptionsRepository(tx).savePushSubscription({
      vendorId,
      userId,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
    }),
  );
  return subscription;
}

describe('alert delivery', () => {
  it('a new notification requests one outbox row per routed channel, in its own transaction', async () => {
    // No subscription yet: email only (push is not requested for nobody).
    const first = (await notify('plan.deadline_reminder', 'reminder-1'))!;
    expect((await deliveryRows(first)).map((r) => r.job_name)).toEqual(['deliver-email']);

    const sub = await subscribe(ownerId);
    const second = (await notify('plan.deadline_reminder', 'reminder-2'))!;
    expect((await deliveryRows(second)).map((r) => r.job_name)).toEqual([
      'deliver-email',
      'deliver-push',
    ]);
    // The same dedupe key again: no notification, no delivery.
    expect(await notify('plan.deadline_reminder', 'reminder-2')).toBeNull();
    expect(await deliveryRows(second)).toHaveLength(2);

    // A rolled-back notification leaves no delivery behind.
    let rolledBack: string | null = null;
    await expect(
      withTenant(db.app.prisma, vendorId, async (tx) => {
        rolledBack = await new NotificationsRepository(tx).createNotification({
          vendorId,
          kind: 'plan.outlook_change',
          title: 't',
          body: 'b',
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(rolledBack).not.toBeNull();
    expect(await deliveryRows(rolledBack!)).toEqual([]);

    // The vendor turns email off for reminders and everything off for weather.
    await withTenant(db.app.prisma, vendorId, (tx) =>
      new AlertSettingsRepository(tx).saveAlertSettings(
        vendorId,
        {
          routes: {
            ...DEFAULT_ALERT_ROUTES,
            deadline_reminder: { email: false, push: true },
            weather: { email: false, push: false },
          },
          outlookChangeThreshold: { mode: 'units', value: 6 },
        },
        new Date(),
      ),
    );
    const third = (await notify('plan.deadline_reminder', 'reminder-3'))!;
    expect((await deliveryRows(third)).map((r) => r.job_name)).toEqual(['deliver-push']);
    expect(await deliveryRows((await notify('weather.heavy_rain', 'rain-1'))!)).toEqual([]);
    // Billing notices are mailed by billing-email: never a second email from here.
    expect(
      (await deliveryRows((await notify('billing.trial_ending', 'b-1'))!)).map((r) => r.job_name),
    ).toEqual(['deliver-push']);
    // A kind outside the categories stays in the app.
    expect(await deliveryRows((await notify('something.else', 'x-1'))!)).toEqual([]);
    await withTenant(db.app.prisma, vendorId, (tx) =>
      new PushSubscriptionsRepository(tx).removePushSubscription(ownerId, sub.endpoint),
    );
    await db.adminQuery(`DELETE FROM outbox`);
    await db.adminQuery(`DELETE FROM alert_settings`);
  });

  it('email: after a mail outage the retry sends to whoever is still missing, once each', async () => {
    const sent: string[] = [];
    let outage = 1; // the first send fails (SMTP away)
    const deps = {
      db: db.app,
      now: () => new Date(),
      mailer: {
        send: (m: { to: string; subject: string; text: string }) => {
          if (outage-- > 0) return Promise.reject(new Error('ECONNREFUSED smtp'));
          sent.push(`${m.to}|${m.subject}`);
          return Promise.resolve();
        },
      },
      allowLoopbackPush: true,
      publicUrl: 'https://app.example.com',
    };
    const jobs: RegisteredJob[] = [
      { definition: deliverEmailJob, handler: createDeliverEmailHandler(deps) },
      { definition: deliverPushJob, handler: createDeliverPushHandler({ ...deps, vapid }) },
    ];
    let clock = new Date(Date.now() + 1_000);
    const relay = new OutboxRelay({
      db: db.app,
      jobs,
      logger: pino({ level: 'silent' }),
      mode: { kind: 'in-process' },
      now: () => clock,
      backoff: { baseMs: 1_000, maxMs: 1_000 },
    });
    const id = (await notify('plan.outlook_change', 'outlook-1'))!;
    expect(await relay.tick()).toBe(1);
    const [row] = await deliveryRows(id);
    expect(row).toMatchObject({ job_name: 'deliver-email', status: 'PENDING', attempts: 1 });
    // The owner's send failed, the staff member's went out and is not repeated.
    const subject = `Bake for Saturday by 20:00 (plan.outlook_change)`;
    expect(sent).toEqual([`${staffEmail}|${subject}`]);
    clock = new Date(clock.getTime() + 1_500);
    expect(await relay.tick()).toBe(1);
    expect((await deliveryRows(id))[0]).toMatchObject({ status: 'DISPATCHED', attempts: 2 });
    expect(sent.sort()).toEqual([`${ownerEmail}|${subject}`, `${staffEmail}|${subject}`].sort());
    // Run again (a redelivered job): nothing more.
    await createDeliverEmailHandler(deps)({ vendorId, notificationId: id }, { jobId: 'again' });
    expect(sent).toHaveLength(2);
    // A notification for one member goes to that member only.
    const own = (await notify('plan.deadline_reminder', 'own-1', staffId))!;
    await createDeliverEmailHandler(deps)({ vendorId, notificationId: own }, { jobId: 'own' });
    expect(sent).toHaveLength(3);
    expect(sent[2]).toBe(`${staffEmail}|Bake for Saturday by 20:00 (plan.deadline_reminder)`);
    await db.adminQuery(`DELETE FROM outbox`);
  });

  it('push: VAPID-signed, aes128gcm the subscriber decrypts; 410 removes, 5xx retries, once each', async () => {
    const owner = await subscribe(ownerId);
    const gone = await subscribe(staffId);
    push.expire(gone.id);
    push.failNext(500, 1);
    const handler = createDeliverPushHandler({
      db: db.app,
      now: () => new Date(),
      vapid,
      allowLoopbackPush: true,
    });
    const id = (await notify('plan.all_clear', 'clear-1'))!;
    // First run: the owner's browser hits a 500 (retry), the staff's subscription is gone.
    await expect(handler({ vendorId, notificationId: id }, { jobId: '1' })).rejects.toThrow(
      /HTTP 500/,
    );
    const left = await withTenant(db.app.prisma, vendorId, (tx) =>
      new PushSubscriptionsRepository(tx).listPushSubscriptions(null),
    );
    expect(left.map((s) => s.endpoint)).toEqual([owner.endpoint]);
    const second = await handler({ vendorId, notificationId: id }, { jobId: '2' });
    expect(push.rejected()).toEqual([]);
    expect(second).toEqual({
      sent: 1,
      removed: 0,
    });
    expect(await handler({ vendorId, notificationId: id }, { jobId: '3' })).toEqual({
      sent: 0,
      removed: 0,
    });
    expect(push.rejected()).toEqual([]);
    const received = push.received();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      subscriptionId: owner.id,
      vapid: { aud: push.baseUrl, sub: 'mailto:ops@example.com', publicKey: vapid.publicKey },
      ttl: 86_400,
      urgency: 'high',
    });
    expect(JSON.parse(received[0]!.text)).toEqual({
      title: 'Bake for Saturday by 20:00 (plan.all_clear)',
      body: 'Sourdough: 48, Baguette: 30.',
      url: '/plans/week',
      tag: id,
      kind: 'plan.all_clear',
    });

    // A subscription pointing anywhere but a push service is dropped, never posted to.
    await withTenant(db.app.prisma, vendorId, (tx) =>
      new PushSubscriptionsRepository(tx).savePushSubscription({
        vendorId,
        userId: ownerId,
        endpoint: 'http://169.254.169.254/latest/meta-data',
        p256dh: owner.keys.p256dh,
        auth: owner.keys.auth,
      }),
    );
    const next = (await notify('plan.all_clear', 'clear-2'))!;
    expect(await handler({ vendorId, notificationId: next }, { jobId: '4' })).toEqual({
      sent: 1,
      removed: 1,
    });
  });

  it('email goes out over SMTP (nodemailer) to the demo mail catcher, decoded as sent', async () => {
    const catcher = createMailCatcher();
    await catcher.start();
    try {
      const handler = createDeliverEmailHandler({
        db: db.app,
        now: () => new Date(),
        mailer: createSmtpMailer(catcher.smtpUrl, 'MarketPrep <alerts@example.com>'),
        allowLoopbackPush: true,
        publicUrl: 'http://127.0.0.1:3000',
      });
      const id = await withTenant(db.app.prisma, vendorId, (tx) =>
        new NotificationsRepository(tx).createNotification({
          vendorId,
          userId: ownerId,
          kind: 'plan.deadline_reminder',
          title: 'Dough for Saturday – mix by 20:00 ☀',
          body: 'Sourdough: 48 (2 batches of 24), Crème brûlée tarts: 30.',
          data: { url: '/plans/week' },
        }),
      );
      expect(await handler({ vendorId, notificationId: id }, { jobId: 'smtp' })).toEqual({
        sent: 1,
      });
      const [mail] = catcher.messages(ownerEmail);
      expect(mail).toMatchObject({
        to: [ownerEmail],
        from: 'alerts@example.com',
        subject: 'Dough for Saturday – mix by 20:00 ☀',
      });
      expect(mail!.text).toContain('Crème brûlée tarts: 30.');
      expect(mail!.text).toContain('http://127.0.0.1:3000/plans/week');
      expect(catcher.messages(staffEmail)).toEqual([]);
    } finally {
      await catcher.stop();
    }
  });
});
