import { expect, test } from '@playwright/test';

import { expectNoSeriousAxeViolations, saveScreenshot, signInAsDemo } from './market-day-helpers';

test.describe('insights', () => {
  test('charts with table fallbacks and the go/no-go table for the demo vendor', async ({
    page,
  }, testInfo) => {
    await signInAsDemo(page);
    await page.goto('/insights');
    await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();

    for (const title of [
      'Revenue per market day',
      'Units wasted and donated per market day, with sell-outs',
      'Rain effect on sales per product',
    ]) {
      await expect(page.getByRole('img', { name: new RegExp(`^${title}`) })).toBeVisible({
        timeout: 30_000,
      });
    }
    await expect(page.getByRole('img', { name: /forecast vs sold/ })).toBeVisible();

    // Every chart has its numbers as a table.
    const sales = page.locator('section', {
      has: page.getByRole('heading', { name: 'Sales per market day' }),
    });
    await sales.getByText('Show the numbers').click();
    expect(await sales.locator('tbody tr').count()).toBeGreaterThan(3);
    await expect(sales.locator('tbody td').first()).toHaveText(/^\$[\d,]+$/);

    const goNoGo = page.locator('section', {
      has: page.getByRole('heading', { name: /Go \/ no-go/ }),
    });
    await expect(goNoGo.locator('tbody tr').first()).toBeVisible();
    await expect(goNoGo.locator('.gng__call').first()).toHaveText(/^(Go|Marginal|Skip)$/);

    // Choosing a market narrows the charts.
    await page.getByRole('combobox', { name: /^Market/ }).selectOption({ index: 1 });
    await expect(page.getByRole('img', { name: /^Revenue per market day/ })).toBeVisible();

    await expectNoSeriousAxeViolations(page);
    await saveScreenshot(page, testInfo.project.name, 'insights');
  });
});
