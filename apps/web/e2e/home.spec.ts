import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test.describe('first page', () => {
  test("lists the demo vendor's markets from the API", async ({ page }) => {
    await page.goto('/');

    await expect(page.getByRole('heading', { level: 1, name: 'Your markets' })).toBeVisible();
    const cards = page.getByRole('article');
    await expect(cards).toHaveCount(3);
    await expect(page.getByRole('heading', { name: 'Riverside Saturday Market' })).toBeVisible();
    await expect(page.getByText('Saturdays', { exact: false }).first()).toBeVisible();
    await expect(page.getByText('Demo data')).toBeVisible();
  });

  test('has no serious or critical accessibility violations', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('article').first()).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  test('proxies the API through the web origin', async ({ request }) => {
    const response = await request.get('/health/ready');
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
