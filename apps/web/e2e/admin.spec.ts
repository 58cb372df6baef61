import { expect, test } from '@playwright/test';

import { expectAccessible, signInThroughForm, signUpThroughForm } from './account-helpers';

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
    await expect(page.getByText(/^Overall:/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Providers and breakers' })).toBeVisible();
    await expectAccessible(page, 'admin');

    // Live: a new answer within the refresh interval.
    const refreshed = await page.waitForResponse((r) => r.url().endsWith('/health/detailed'), {
      timeout: 15_000,
    });
    expect(refreshed.status()).toBe(200);
  });

  test('is a 403 screen for a vendor', async ({ page }) => {
    await signUpThroughForm(page);
    await page.goto('/admin');
    await expect(
      page.getByRole('heading', { name: 'This page is for MarketPrep operators' }),
    ).toBeVisible();
    await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  });
});
