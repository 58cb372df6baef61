import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

import { expectAccessible, signInThroughForm, signUpThroughForm } from './account-helpers';

/**
 * The worker's provider-fakes control (demo mode, 127.0.0.1 only; PROVIDER_FAKES_CONTROL_PORT,
 * set by playwright.config.ts): switch a fake's mode, run a schedule now.
 */
function fakesControl(request: APIRequestContext) {
  const url = `http://127.0.0.1:${process.env.E2E_FAKES_CONTROL_PORT}`;
  return {
    async setMode(fake: string, mode: string) {
      const response = await request.put(`${url}/fakes/${fake}/mode`, { data: { mode } });
      expect(response.status()).toBe(200);
    },
    /** The hourly weather fan-out, now: every vendor's refresh-weather through the outbox. */
    async refreshWeather() {
      const response = await request.post(`${url}/triggers/schedule-weather-refresh`, {
        data: {},
      });
      expect(response.status()).toBe(200);
    },
  };
}

/** Clicks "Refresh now" and returns the providers table's row of `provider`, as text. */
async function providerRowAfterRefresh(page: Page, provider: RegExp): Promise<string> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/health/detailed'));
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await answered;
  await expect(page.getByRole('button', { name: 'Refresh now' })).toBeEnabled();
  const row = page
    .getByRole('region', { name: 'Providers and breakers' })
    .getByRole('row', { name: provider });
  return (await row.count()) === 1 ? ((await row.textContent()) ?? '') : '';
}

test.describe('admin health dashboard', () => {
  test('shows every dependency to a platform admin and refreshes', async ({ page }) => {
    await signInThroughForm(page, 'admin@marketprep.local', 'marketprep-admin');
    await expect(page).toHaveURL(/\/admin/);
    await expect(page.getByRole('heading', { level: 1, name: 'Platform health' })).toBeVisible();
    const deps = page.getByRole('table').first();
    for (const check of ['Database', 'Redis', 'Queue', 'Sales data', 'Weather data']) {
      await expect(deps.getByRole('rowheader', { name: check })).toBeVisible();
    }
    await expect(deps.getByRole('row', { name: /Database/ })).toContainText('OK');
    // No Redis in this setup: the row says so once, not in two phrasings.
    const redis = (await deps.getByRole('row', { name: /Redis/ }).textContent()) ?? '';
    expect(redis.match(/not configured/g)).toHaveLength(1);
    expect(redis.match(/in-process/g)).toHaveLength(1);
    await expect(page.getByText(/^Overall:/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Providers and breakers' })).toBeVisible();
    await expectAccessible(page, 'admin');

    // Live: a new answer within the refresh interval.
    const refreshed = await page.waitForResponse((r) => r.url().endsWith('/health/detailed'), {
      timeout: 15_000,
    });
    expect(refreshed.status()).toBe(200);
  });

  // Issue 14 item 12, at 375 x 812 (mobile) and 1280 x 800 (desktop).
  test('offers an operator without a business Admin and Settings only, and lands them on Admin', async ({
    page,
  }, testInfo) => {
    const desktop = testInfo.project.name === 'desktop';
    if (desktop) await page.setViewportSize({ width: 1280, height: 800 });
    await signInThroughForm(page, 'admin@marketprep.local', 'marketprep-admin');
    await expect(page).toHaveURL(/\/admin$/);
    // The bar that shows at this size: the top navigation at the desk, the bottom bar on a phone.
    const bar = desktop
      ? page.getByRole('navigation', { name: 'Main' })
      : page.getByRole('navigation', { name: 'Quick' });
    await expect(bar).toBeVisible();
    await expect(bar.getByRole('link')).toHaveText([/Settings/, /Admin/]);
    for (const vendorPage of [
      'Dashboard',
      'Prep list',
      'Check-in',
      'Markets',
      'Products',
      'Insights',
    ]) {
      await expect(page.getByRole('link', { name: vendorPage, exact: true })).toHaveCount(0);
    }
    await expect(page.locator('a.brand')).toHaveAttribute('href', '/admin');
    await expectAccessible(page, 'admin (operator without a business)');

    // A vendor page typed in or bookmarked lands on Admin instead of an error.
    for (const path of ['/prep-list', '/dashboard', '/check-in']) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/admin$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Platform health' })).toBeVisible();
    }
    // Their account stays theirs.
    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  });

  test('is a 403 screen for a vendor', async ({ page }) => {
    await signUpThroughForm(page);
    await page.goto('/admin');
    await expect(
      page.getByRole('heading', { name: 'This page is for MarketPrep operators' }),
    ).toBeVisible();
    await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  });

  test('shows a provider outage when a fake is switched to failing, and the recovery', async ({
    page,
    request,
  }) => {
    // Opening takes a few refreshes (5 failed calls within the breaker's 10 s window); closing
    // waits out the breaker's 30 s before its trial call.
    test.setTimeout(180_000);
    const fakes = fakesControl(request);
    await signInThroughForm(page, 'admin@marketprep.local', 'marketprep-admin');
    await expect(page).toHaveURL(/\/admin/);
    // The worker reports through PostgreSQL: no Redis in this setup, yet it is there.
    const worker = page
      .getByRole('table')
      .first()
      .getByRole('row', { name: /Worker/ });
    await expect(worker).toContainText('OK', { timeout: 30_000 });

    // US markets ask NWS first (then Open-Meteo, cache, climatology).
    const nws = /NWS \(weather\)/;
    try {
      await fakes.setMode('nws', 'error500');
      await expect
        .poll(
          async () => {
            await fakes.refreshWeather();
            return providerRowAfterRefresh(page, nws);
          },
          { timeout: 60_000, intervals: [2_000] },
        )
        .toMatch(/Down.*open: calls fail fast/);
      await expect(page.getByText(/^Provider outage:/)).toContainText('NWS (weather)');
      await expect(page.getByText(/^Overall:/)).toContainText('Degraded');
      // The chain fell back to Open-Meteo, whose breaker stayed closed.
      await expect(
        page
          .getByRole('region', { name: 'Providers and breakers' })
          .getByRole('row', { name: /Open-Meteo \(weather\)/ }),
      ).toContainText('OK');
      await expectAccessible(page, 'admin (provider outage)');
    } finally {
      await fakes.setMode('nws', 'ok');
    }

    // Recovered: after 30 s the breaker lets a trial call through, which succeeds and closes it.
    await expect
      .poll(
        async () => {
          await fakes.refreshWeather();
          return providerRowAfterRefresh(page, nws);
        },
        { timeout: 90_000, intervals: [3_000] },
      )
      .toMatch(/OK.*closed: calls flow/);
    await expect(page.getByText(/^Provider outage:/)).toHaveCount(0);
  });
});
