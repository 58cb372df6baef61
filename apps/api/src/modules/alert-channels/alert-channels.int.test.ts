import { AlertSettingsSchema, type AlertSettingsUpdateBody } from '@marketprep/contracts';
import { createPushServiceFake, type PushServiceFake } from '@marketprep/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem, joinAs } from '../markets/catalog-test-helpers';

// A VAPID public key's shape (65-byte point, base64url); the API only hands it to browsers.
const PUBLIC_KEY = `B${'A'.repeat(86)}`;

let h: Harness;
let off: Harness;
let push: PushServiceFake;
let owner: Agent;
let staff: Agent;
let stranger: Agent;

const settings: AlertSettingsUpdateBody = {
  routes: {
    deadline_reminder: { email: false, push: true },
    outlook_change: { email: true, push: true },
    all_clear: { email: false, push: false },
    weather: { email: false, push: true },
    sync: { email: true, push: false },
    account: { email: false, push: true },
  },
  outlookChangeThreshold: { mode: 'units', value: 6 },
};

async function outboxOf(notificationId: string) {
  const rows = await h.db.adminQuery<{ job_name: string }>(
    `SELECT job_name FROM outbox WHERE payload->>'notificationId' = $1 ORDER BY job_name`,
    [notificationId],
  );
  return rows.map((r) => r.job_name);
}

beforeAll(async () => {
  h = await createHarness({ pushPublicKey: PUBLIC_KEY, rateLimit: false });
  off = await createHarness({ rateLimit: false });
  push = createPushServiceFake();
  await push.start();
  owner = await h.signup({ vendorName: 'Alerted Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Other Alerted' });
});
afterAll(async () => {
  await push.stop();
  await h.close();
  await off.close();
});

describe('alert channels', () => {
  it('serves the defaults, lets an owner replace them and keeps other businesses apart', async () => {
    const first = AlertSettingsSchema.parse(
      (await h.call(staff, 'GET', '/v1/alerts/settings')).json(),
    );
    expect(first).toMatchObject({
      updatedAt: null,
      pushPublicKey: PUBLIC_KEY,
      outlookChangeThreshold: { mode: 'percent', value: 20 },
      routes: { deadline_reminder: { email: true, push: true } },
    });
    expectProblem(await h.call(staff, 'PUT', '/v1/alerts/settings', settings), 403);
    const saved = await h.call(owner, 'PUT', '/v1/alerts/settings', settings);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(AlertSettingsSchema.parse(saved.json())).toMatchObject({ ...settings });
    expect((await h.call(staff, 'GET', '/v1/alerts/settings')).json()).toMatchObject(settings);
    // Another business still has the defaults.
    expect((await h.call(stranger, 'GET', '/v1/alerts/settings')).json()).toMatchObject({
      outlookChangeThreshold: { mode: 'percent', value: 20 },
    });
    // Bad input changes nothing.
    for (const bad of [
      { ...settings, outlookChangeThreshold: { mode: 'percent', value: 0 } },
      { ...settings, outlookChangeThreshold: { mode: 'boxes', value: 5 } },
      { ...settings, routes: { ...settings.routes, weather: { email: 'yes', push: true } } },
      { routes: settings.routes },
      { ...settings, extra: true },
    ]) {
      expectProblem(await h.call(owner, 'PUT', '/v1/alerts/settings', bad), 400);
    }
    expect((await h.call(owner, 'GET', '/v1/alerts/settings')).json()).toMatchObject(settings);
    // Without VAPID keys the API says push is off.
    const lone = await off.signup({ vendorName: 'No Push Farm' });
    expect((await off.call(lone, 'GET', '/v1/alerts/settings')).json()).toMatchObject({
      pushPublicKey: null,
    });
  });

  it('stores a member browser subscription, refuses foreign endpoints, forgets it on request', async () => {
    const subscription = push.createSubscription();
    const body = {
      endpoint: subscription.endpoint,
      expirationTime: null,
      keys: subscription.keys,
    };
    const created = await h.call(staff, 'POST', '/v1/push/subscriptions', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ endpoint: subscription.endpoint });
    // Again: the same row.
    const again = await h.call(staff, 'POST', '/v1/push/subscriptions', body);
    expect(again.json<{ id: string }>().id).toBe(created.json<{ id: string }>().id);
    const rows = await h.db.adminQuery<{ user_id: string }>(
      `SELECT user_id::text FROM push_subscriptions WHERE endpoint = $1`,
      [subscription.endpoint],
    );
    expect(rows).toEqual([{ user_id: staff.userId }]);

    for (const endpoint of [
      'https://evil.example.com/push/1',
      'http://169.254.169.254/latest',
      'https://fcm.googleapis.com.evil.example/x',
    ]) {
      expectProblem(
        await h.call(staff, 'POST', '/v1/push/subscriptions', { ...body, endpoint }),
        400,
      );
    }
    expectProblem(
      await h.call(staff, 'POST', '/v1/push/subscriptions', {
        ...body,
        keys: { p256dh: 'short', auth: 'x' },
      }),
      400,
    );
    expectProblem(
      await off.call(
        await off.signup({ vendorName: 'Off Farm' }),
        'POST',
        '/v1/push/subscriptions',
        body,
      ),
      503,
    );
    expectProblem(await h.call(null, 'POST', '/v1/push/subscriptions', body), 401);

    // The stranger cannot remove it; the staff member can, once.
    expectProblem(
      await h.call(stranger, 'POST', '/v1/push/subscriptions/remove', {
        endpoint: subscription.endpoint,
      }),
      404,
    );
    const removed = await h.call(staff, 'POST', '/v1/push/subscriptions/remove', {
      endpoint: subscription.endpoint,
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expectProblem(
      await h.call(staff, 'POST', '/v1/push/subscriptions/remove', {
        endpoint: subscription.endpoint,
      }),
      404,
    );
  });

  it('a test alert is one notification for the caller with an email and a push request', async () => {
    const sent = await h.call(owner, 'POST', '/v1/alerts/test');
    expect(sent.statusCode, sent.body).toBe(202);
    const id = sent.json<{ id: string }>().id;
    expect(await outboxOf(id)).toEqual(['deliver-email', 'deliver-push']);
    const mine = await h.call(owner, 'GET', '/v1/notifications');
    expect(mine.json<{ data: { id: string; kind: string }[] }>().data[0]).toMatchObject({
      id,
      kind: 'alerts.test',
    });
    const theirs = await h.call(staff, 'GET', '/v1/notifications');
    expect(theirs.json<{ data: { id: string }[] }>().data.map((n) => n.id)).not.toContain(id);
  });
});
