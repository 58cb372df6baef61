import { expect, test } from '@playwright/test';

import { expectAccessible, signInThroughForm } from './account-helpers';

test.describe('first page', () => {
  test('sends a visitor without a session to sign in', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'login');
  });

  test("opens the dashboard when signed in, with the demo vendor's markets", async ({ page }) => {
    await signInThroughForm(page, 'demo@marketprep.local', 'marketprep-demo');
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(
      page.getByRole('heading', { name: 'Riverside Saturday Market' }).first(),
    ).toBeVisible();
    await expect(page.getByRole('list', { name: 'Next market days' })).toBeVisible();
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    await expectAccessible(page, 'dashboard (demo)');
  });

  test('declares an icon that loads, so no page asks for a missing favicon', async ({
    page,
    request,
  }) => {
    await page.goto('/login');
    const href = await page.locator('head link[rel="icon"]').first().getAttribute('href');
    expect(href).toMatch(/^\/favicon\.ico/);
    for (const path of [href!, '/favicon.ico']) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expect(response.headers()['content-type'], path).toMatch(/^image\//);
      expect((await response.body()).subarray(0, 4), path).toEqual(Buffer.from([0, 0, 1, 0]));
    }
  });

  test('proxies the API through the web origin', async ({ request }) => {
    const response = await request.get('/health/ready');
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
