import { expect, test } from '@playwright/test';

import { signInAsDemo } from './market-day-helpers';

// Issue 22 in the browser, at 375 px (mobile project) and 1280 px (desktop project).
test.describe('trust you can see', () => {
  test('the prep list header says how healthy its inputs are', async ({ page }, testInfo) => {
    await signInAsDemo(page);
    await page.goto('/prep-list');
    await page.locator('.picker__card').first().click();
    await expect(page.getByRole('heading', { level: 1, name: /^Prep list for / })).toBeVisible({
      timeout: 30_000,
    });
    const health = page.getByRole('region', { name: 'Input health' });
    await expect(health).toBeVisible();
    await expect(health).toHaveAttribute('data-verdict', /^(good|check|stale)$/);
    await expect(health.locator('.pl-health__verdict')).toHaveText(
      /^(Inputs good\. Sales, weather, events and model are up to date\.|Check before packing\. .+|Inputs out of date\. .+)$/,
    );
    // Every input's reason behind "details".
    await health.getByText('details').click();
    const reasons = health.locator('.pl-health__reasons li');
    await expect(reasons).toHaveCount(5);
    await expect(reasons.nth(0)).toHaveText(/^Sales: /);
    await expect(reasons.nth(1)).toHaveText(/^Weather: /);
    await expect(reasons.nth(3)).toHaveText(/^Model: trained through /);
    // Nothing wider than the screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await health.screenshot({ path: testInfo.outputPath('input-health.png') });
  });

  test("the week's plan says how healthy its market days' inputs are", async ({
    page,
  }, testInfo) => {
    await signInAsDemo(page);
    await page.goto('/week');
    await expect(page.getByRole('heading', { level: 1, name: 'This week' })).toBeVisible();
    const health = page.getByRole('region', { name: 'Input health' });
    await expect(health).toBeVisible({ timeout: 60_000 });
    const verdict = await health.getAttribute('data-verdict');
    expect(verdict).toMatch(/^(good|check|stale)$/);
    await expect(health.locator('.pl-health__verdict')).toHaveText(
      /^(Inputs good\. Sales, weather, events and model are up to date for every market day\.|(Check before packing|Inputs out of date)\. Look at: (sales|weather|events|model|products)(, (sales|weather|events|model|products))*\.)$/,
    );
    if (verdict !== 'good') {
      // Each reason names the market days it holds for.
      await health.getByText('details').click();
      const reasons = health.locator('.pl-health__reasons li');
      expect(await reasons.count()).toBeGreaterThan(0);
      await expect(reasons.first()).toHaveText(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \w{3} \d{1,2}(, \d{4})? at .+: (Sales|Weather|Events|Model|Products): /,
      );
    }
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await health.screenshot({ path: testInfo.outputPath('week-plan-health.png') });
  });

  test('onboarding ends on the replay of the last season', async ({ page }, testInfo) => {
    await signInAsDemo(page);
    await page.goto('/onboarding?step=done');
    await expect(page.getByRole('heading', { name: 'You are set up' })).toBeVisible();
    const card = page.getByTestId('replay-card');
    await expect(card.getByRole('heading', { name: 'Your last season, replayed' })).toBeVisible();
    const start = card.getByRole('button', { name: /^(Replay my last 12 months|Replay again)$/ });
    if (await start.isVisible()) await start.click();
    // Queued or running with its progress, or already done with the money.
    await expect(
      card.getByText(/Replaying your market days… \d+%|Against your rule of thumb/),
    ).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: testInfo.outputPath('onboarding-replay.png'), fullPage: true });
  });
});
