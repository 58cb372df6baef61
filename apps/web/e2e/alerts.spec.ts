import { expect, test, type Page } from '@playwright/test';

import {
  createPushServiceFake,
  type FakePushSubscription,
  type PushServiceFake,
} from '../../../packages/integrations/src/fakes/push-service.fake';
import { expectAccessible, signUpThroughForm } from './account-helpers';

// Alerts by Web Push (issue 19), end to end: Chromium subscribes on Settings > Alerts, a test alert
// goes through the outbox to the worker's deliver-push, which encrypts it for this browser and
// signs it with the instance's VAPID key; the push service is a fake on loopback that checks both
// and decrypts like a browser. Chromium's own push service (FCM) is out of reach here, so the
// page's PushManager hands out the fake's subscription, and the decrypted message is delivered to
// the real service worker through the DevTools protocol (a trusted push event), which shows it.

let push: PushServiceFake;
test.beforeAll(async () => {
  push = createPushServiceFake();
  await push.start();
});
test.afterAll(async () => {
  await push.stop();
});

/** Makes `pushManager.subscribe` answer with the fake's subscription (endpoint on loopback). */
async function usePushService(page: Page, subscription: FakePushSubscription) {
  await page.addInitScript((sub) => {
    // Kept across page loads, as the browser keeps a real subscription.
    const KEY = 'e2e-fake-push-subscribed';
    const make = () =>
      ({
        endpoint: sub.endpoint,
        expirationTime: null,
        options: { userVisibleOnly: true, applicationServerKey: null },
        getKey: () => null,
        toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
        unsubscribe: () => {
          localStorage.removeItem(KEY);
          return Promise.resolve(true);
        },
      }) as unknown as PushSubscription;
    PushManager.prototype.subscribe = function subscribe() {
      localStorage.setItem(KEY, '1');
      return Promise.resolve(make());
    };
    PushManager.prototype.getSubscription = function getSubscription() {
      return Promise.resolve(localStorage.getItem(KEY) ? make() : null);
    };
  }, subscription);
}

test('subscribe to push in Settings > Alerts and receive a test alert', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['notifications']);
  const subscription = push.createSubscription();
  await usePushService(page, subscription);
  await signUpThroughForm(page, { business: 'Push Bakery' });

  await page.goto('/settings/alerts');
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  await expect(page.getByTestId('push-status')).toHaveText(
    'This device does not get push alerts yet.',
    { timeout: 30_000 },
  );
  await page.getByRole('button', { name: 'Turn on push alerts' }).click();
  await expect(page.getByTestId('push-status')).toHaveText('This device gets push alerts.');

  // The owner routes reminders to push only and sets a 5-unit threshold.
  await page.getByRole('checkbox', { name: 'Deadline reminders by email' }).uncheck();
  await page.getByLabel('Threshold').fill('5');
  await page.getByRole('radio', { name: 'units' }).check();
  await page.getByRole('button', { name: 'Save alert settings' }).click();
  await expect(page.getByText('Saved. New alerts follow these settings.')).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole('checkbox', { name: 'Deadline reminders by email' }),
  ).not.toBeChecked();
  await expect(page.getByLabel('Threshold')).toHaveValue('5');
  await expect(page.getByRole('radio', { name: 'units' })).toBeChecked();

  await page.getByRole('button', { name: 'Send me a test alert' }).click();
  await expect(page.getByText(/Test alert sent/)).toBeVisible();
  await expect
    .poll(() => push.received().filter((m) => m.subscriptionId === subscription.id).length, {
      timeout: 30_000,
    })
    .toBe(1);
  const received = push.received().find((m) => m.subscriptionId === subscription.id)!;
  expect(push.rejected()).toEqual([]);
  expect(received.vapid.aud).toBe(push.baseUrl);
  const message = JSON.parse(received.text) as { title: string; body: string; url: string };
  expect(message).toMatchObject({ title: 'Test alert from MarketPrep', url: '/settings/alerts' });

  // Hand the decrypted message to the service worker as the browser would, once it is active (a
  // message handed to a worker still installing is dropped: a CI run on a loaded machine lost it).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const origin = new URL(page.url()).origin;
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => !r.isDeleted && r.scopeURL === `${origin}/`);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const deliver = async () =>
    cdp.send('ServiceWorker.deliverPushMessage', {
      origin,
      registrationId: await registrationId,
      data: received.text,
    });
  // A delivery can still be lost while the worker restarts (a CI run on a loaded machine showed
  // nothing for 15 s), so the poll hands the message over again every few seconds until it shows;
  // the alert's tag makes a second delivery replace the first, as a resent push does.
  let deliveredAt = 0;
  await expect
    .poll(
      async () => {
        if (Date.now() - deliveredAt > 4_000) {
          await deliver();
          deliveredAt = Date.now();
        }
        const worker =
          context.serviceWorkers().find((w) => w.url().endsWith('/sw.js')) ??
          (await context.waitForEvent('serviceworker'));
        return worker.evaluate(async () =>
          (
            await (
              self as unknown as { registration: ServiceWorkerRegistration }
            ).registration.getNotifications()
          ).map((n) => ({ title: n.title, body: n.body, url: (n.data as { url: string }).url })),
        );
      },
      { timeout: 30_000 },
    )
    .toEqual([
      {
        title: 'Test alert from MarketPrep',
        body: message.body,
        url: '/settings/alerts',
      },
    ]);

  // The same alert is in the app.
  await page.goto('/settings/notifications');
  await expect(page.getByRole('heading', { name: 'Test alert from MarketPrep' })).toBeVisible();

  await page.goto('/settings/alerts');
  await expect(page.getByTestId('push-status')).toHaveText('This device gets push alerts.', {
    timeout: 30_000,
  });
  await expectAccessible(page, 'settings: alerts');
  await page.screenshot({
    path: testInfo.outputPath(`alerts-${testInfo.project.name}.png`),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Turn off on this device' }).click();
  await expect(page.getByTestId('push-status')).toHaveText(
    'This device does not get push alerts yet.',
  );
});
