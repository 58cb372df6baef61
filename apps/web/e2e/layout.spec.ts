import { expect, test } from '@playwright/test';

import { signInAsDemo } from './market-day-helpers';

test.describe('layout', () => {
  test('the desktop header is one row, with "Sign out" on one line', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'a desk-sized window');
    await signInAsDemo(page);
    await page.goto('/dashboard');
    const header = page.locator('header.top-bar');
    const signOut = page.getByRole('button', { name: 'Sign out' });
    // 900 px: a tablet or half a screen, just above the phone layout.
    for (const width of [1280, 1920, 900]) {
      await page.setViewportSize({ width, height: 800 });
      await expect(signOut).toBeVisible();
      const headerBox = await header.boundingBox();
      // One row of 44 px targets with its padding; the wrapped header was 212 px.
      expect(headerBox?.height, `header height at ${width}`).toBeLessThan(80);
      // Its text lies on one line (the wrapped header broke it over two).
      const lines = await signOut.evaluate((button) => {
        const range = document.createRange();
        range.selectNodeContents(button);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      });
      expect(lines, `"Sign out" lines at ${width}`).toBe(1);
      // Nothing runs off the window's edge.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `overflow at ${width}`).toBeLessThanOrEqual(0);
      await expect(signOut).toBeInViewport({ ratio: 1 });
      // Every link of the bar sits on that one row.
      const tops = await page
        .locator('.top-nav__link')
        .evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().top)));
      expect(new Set(tops).size).toBe(1);
      await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Prep list');
      await page.screenshot({ path: testInfo.outputPath(`header-${width}.png`) });
    }
  });

  test('the prep list shows a product on the first phone screen', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'mobile', 'a phone-sized window');
    await page.setViewportSize({ width: 375, height: 812 });
    await signInAsDemo(page);
    await page.goto('/prep-list');
    await page.locator('.picker__card').first().click();
    await expect(page.getByRole('heading', { level: 1, name: /^Prep list for / })).toBeVisible({
      timeout: 30_000,
    });
    const first = page.locator('.pl-line').first();
    await expect(first.locator('.pl-qty__number')).toHaveText(/^\d+$/);
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await first.boundingBox();
    expect(box?.y ?? Infinity).toBeLessThan(812);
    // Its name and quantity, not only its top edge, are on that screen.
    const qty = await first.locator('.pl-qty__number').boundingBox();
    expect((qty?.y ?? Infinity) + (qty?.height ?? 0)).toBeLessThan(812);

    // The freshness of the list is one line; the inputs' times are one tap away.
    await expect(page.getByText(/^List as of /)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('prep-list-375.png') });
    const freshness = page.getByRole('group').filter({ hasText: /^List as of / });
    await expect(freshness.getByRole('term')).toHaveCount(0);
    await page.getByText(/^List as of /).click();
    await expect(freshness.getByRole('term')).toHaveText(['Sales', 'Weather', 'Events']);
    await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveText('CSV');
  });
});
