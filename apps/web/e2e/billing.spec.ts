import { expect, test } from '@playwright/test';

import {
  expectAccessible,
  PASSWORD,
  signInThroughForm,
  signUpThroughApi,
  uniqueEmail,
} from './account-helpers';

// `npm start` without STRIPE_SECRET_KEY runs billing against the local Stripe fake (demo mode):
// a new business starts its 30-day trial, Checkout is the fake's hosted page, and the fake sends
// signed webhooks to the API, so the round trip below is the real one, Stripe aside.

test.describe('Billing against the Stripe fake', () => {
  test('trial banner -> choose a plan -> Checkout -> back as active -> manage billing', async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const desktop = testInfo.project.name === 'desktop';
    if (desktop) await page.setViewportSize({ width: 1280, height: 800 });
    const { csrfToken } = await signUpThroughApi(page.request, {
      email: uniqueEmail('billing'),
      password: PASSWORD,
      name: 'Bea Owner',
      vendorName: 'Billing Test Bakery',
    });

    // The trial banner on a business page, with the way to choose a plan.
    await page.goto('/products');
    const banner = page.locator('.billing-banner');
    await expect(banner).toContainText(/Your free trial ends in (30|29) days/);
    await banner.getByRole('link', { name: 'Choose a plan' }).click();
    await expect(page).toHaveURL(/\/settings\/billing$/);
    await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
    await expect(page.getByTestId('billing-state')).toHaveText('Free trial');
    await expect(page.getByRole('heading', { name: 'Starter' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Team' })).toBeVisible();
    await expectAccessible(page, 'billing (trial)');
    await page.screenshot({
      path: testInfo.outputPath(`billing-plans-${desktop ? 1280 : 375}.png`),
      fullPage: true,
    });

    // Choose Starter: Stripe's (fake) Checkout page, pay, back to the app.
    await page.getByRole('button', { name: 'Choose Starter' }).click();
    await expect(page.getByRole('heading', { name: 'Subscribe' })).toBeVisible();
    const fakeStripe = new URL(page.url()).origin;
    await expect(page.getByText('$19.00 / month')).toBeVisible();
    await page.getByRole('button', { name: 'Pay and subscribe' }).click();
    await expect(page).toHaveURL(/\/settings\/billing\?checkout=success$/);
    // The webhook confirms it: the page polls until the subscription is there.
    await expect(page.getByTestId('billing-state')).toHaveText('Active', { timeout: 20_000 });
    await expect(page.getByText('Starter', { exact: true })).toBeVisible();
    await expect(page.getByText(/\(monthly\)/)).toBeVisible();
    // The rest of the free trial carries over (unless the fake's clock, shared by both projects,
    // already passed it: then the first charge was today).
    await expect(
      page.getByText(/^(Free until .*; the first charge is on that day\.|Renews on .*)$/),
    ).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Choose a plan' })).toHaveCount(0);
    await expect(page.getByRole('cell', { name: '1', exact: true }).first()).toBeVisible();
    await expectAccessible(page, 'billing (active)');
    await page.screenshot({
      path: testInfo.outputPath(`billing-active-${desktop ? 1280 : 375}.png`),
      fullPage: true,
    });
    // The trial banner is gone from business pages.
    await page.goto('/products');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('.billing-banner')).toHaveCount(0);

    // The plan's limits hold: Starter allows one market, the API says which plan unlocks more.
    const market = (name: string) => ({
      name,
      latitude: 41.88,
      longitude: -87.63,
      timezone: 'America/Chicago',
      countryCode: 'US',
    });
    const headers = { 'x-csrf-token': csrfToken };
    expect(
      (await page.request.post('/v1/markets', { headers, data: market('One') })).status(),
    ).toBe(201);
    const second = await page.request.post('/v1/markets', { headers, data: market('Two') });
    expect(second.status()).toBe(403);
    expect(await second.json()).toMatchObject({ requiredPlan: 'market' });

    // Manage billing: the (fake) Billing Portal, and back.
    await page.goto('/settings/billing');
    await page.getByRole('button', { name: 'Manage billing' }).click();
    await expect(page.getByRole('heading', { name: 'Manage billing' })).toBeVisible();
    await expect(page.getByText(/^Subscription: (trialing|active)$/)).toBeVisible();
    await page.getByRole('link', { name: 'Return to MarketPrep' }).click();
    await expect(page).toHaveURL(/\/settings\/billing$/);
    await expect(page.getByTestId('billing-state')).toHaveText('Active');

    // The trial ends at Stripe (the fake's test clock): the card is charged, the plan renews.
    const advanced = await page.request.post(`${fakeStripe}/_fake/advance?days=31`);
    expect(advanced.status()).toBe(202);
    await expect
      .poll(
        async () => {
          await page.reload();
          // Count once the billing answer is on the page, not while it is still loading.
          await expect(page.getByTestId('billing-state')).toBeVisible();
          return page.getByText(/^Renews on /).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);

    // Paid Starter (the trial is over): Square sync is a Market feature. The settings show it
    // locked with the way to choose a plan, and the API refuses it naming the plan.
    await page.goto('/settings/integrations');
    const lock = page.getByRole('note').filter({ hasText: 'Square sync is available on Market.' });
    await expect(lock).toBeVisible();
    await expect(page.getByRole('button', { name: /Connect Square/ })).toHaveCount(0);
    await expectAccessible(page, 'integrations (Square locked)');
    await page.screenshot({
      path: testInfo.outputPath(`billing-feature-locked-${desktop ? 1280 : 375}.png`),
      fullPage: true,
    });
    const connect = await page.request.get('/v1/integrations/square/connect');
    expect(connect.status()).toBe(403);
    expect(await connect.json()).toMatchObject({ feature: 'square-sync', requiredPlan: 'market' });
    // Webhooks out are a Team feature: the Developers screen says so instead of the form.
    await page.goto('/settings/developers');
    await expect(
      page
        .getByRole('note')
        .filter({ hasText: 'Sending events to your own tools is available on Team.' }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add endpoint' })).toHaveCount(0);
    await page.screenshot({
      path: testInfo.outputPath(`billing-developers-locked-${desktop ? 1280 : 375}.png`),
      fullPage: true,
    });
    await page.goto('/settings/integrations');
    await lock.getByRole('link', { name: 'Choose a plan' }).click();
    await expect(page).toHaveURL(/\/settings\/billing$/);

    // The operators see it: MRR and the business under Starter, active.
    const admin = await page
      .context()
      .browser()!
      .newContext({ baseURL: new URL(page.url()).origin });
    const adminPage = await admin.newPage();
    if (desktop) await adminPage.setViewportSize({ width: 1280, height: 800 });
    await signInThroughForm(adminPage, 'admin@marketprep.local', 'marketprep-admin');
    await expect(adminPage).toHaveURL(/\/admin/);
    const billing = adminPage.getByRole('region', { name: 'Billing' });
    await expect(billing.getByTestId('admin-mrr')).toHaveText(/^\$(19|38|57)\.00$/);
    await expect(billing.getByText('Starter, active')).toBeVisible();
    await adminPage.screenshot({
      path: testInfo.outputPath(`admin-billing-${desktop ? 1280 : 375}.png`),
      fullPage: true,
    });
    await admin.close();
  });
});
