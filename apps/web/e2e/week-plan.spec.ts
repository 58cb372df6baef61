import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import type { WeekPlan } from '@marketprep/contracts';

import {
  addDays,
  expectNoSeriousAxeViolations,
  marketToday,
  saveScreenshot,
} from './market-day-helpers';

// The two sizes: a phone and a desk.
const SIZES = { mobile: { width: 375, height: 812 }, desktop: { width: 1280, height: 800 } };

test.describe('This week', () => {
  test.beforeEach(async ({ page }, testInfo) => {
    const size = SIZES[testInfo.project.name as keyof typeof SIZES];
    if (size) await page.setViewportSize(size);
  });

  test('a short capacity and trays on a product: the allocation, the cut explained, print and CSV', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const login = await page.request.post('/v1/auth/login', {
      data: { email: 'demo@marketprep.local', password: 'marketprep-demo' },
    });
    expect(login.status()).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': csrfToken };
    // Two days ahead, so the week's first market day is still before its evening-before deadline.
    const from = addDays(marketToday(), 2);

    // The product with the most to make on days that are still open, back to the defaults first.
    // In winter the demo trades one market a week (Saturdays), in summer three: either way the
    // week's capacity is shared by every open day of the product.
    const read = async () => {
      const response = await page.request.get(`/v1/plans/week?from=${from}`, { timeout: 120_000 });
      expect(response.status()).toBe(200);
      return (await response.json()) as WeekPlan;
    };
    const openMake = (p: WeekPlan['products'][number]) =>
      p.days.filter((d) => !d.frozen).reduce((sum, d) => sum + d.make, 0);
    const before = await read();
    const product = before.products
      .filter((p) => openMake(p) >= 10)
      .sort((a, b) => openMake(b) - openMake(a))[0];
    expect(product, 'a product to make on an open market day').toBeDefined();
    await page.request.patch(`/v1/products/${product!.productId}`, {
      headers,
      data: { planning: null },
    });
    const loose = (await read()).products.find((p) => p.productId === product!.productId)!;
    const frozenMake = loose.days.filter((d) => d.frozen).reduce((sum, d) => sum + d.make, 0);
    const capacity = frozenMake + Math.floor(openMake(loose) * 0.6);
    // Trays of 4 and the oven's week, set by the owner on the product.
    await page.goto('/products');
    const card = page.locator('li.product-card', {
      has: page.getByRole('heading', { level: 3, name: product!.productName, exact: true }),
    });
    await card.getByText('Edit price, cost and season').click();
    await card.getByLabel('Batch size').fill('4');
    await card.getByLabel('Decide by').selectOption('1');
    await card.getByLabel("At (market's time)").fill('20:00');
    await card.getByLabel('Can make at most').fill(String(capacity));
    await card.getByRole('button', { name: `Save ${product!.productName}` }).click();
    await expect(card.getByRole('status')).toContainText('Saved');

    await page.goto('/week');
    await expect(page.getByRole('heading', { level: 1, name: 'This week' })).toBeVisible();
    await page.getByLabel('Week from').fill(from);
    const planCard = page.getByRole('region', { name: product!.productName });
    await expect(planCard).toBeVisible({ timeout: 120_000 });
    await expect(planCard.getByRole('note')).toContainText(`You can make ${capacity}`);
    await expect(planCard.getByRole('note')).toContainText('fewer for');
    await expect(planCard).toContainText('batches of 4');
    // Every open day makes whole trays; together they stay within the capacity.
    const plan = (await read()).products.find((p) => p.productId === product!.productId)!;
    expect(plan.totalMake).toBeLessThanOrEqual(capacity);
    expect(plan.totalCut).toBeGreaterThan(0);
    expect(plan.batchSize).toBe(4);
    expect(plan.capacity).toEqual({ units: capacity, period: 'week' });
    for (const day of plan.days.filter((d) => !d.frozen)) expect(day.make % 4).toBe(0);
    await expect(planCard.getByRole('row')).toHaveCount(plan.days.length + 1);
    // A product with nothing to make or bring all week (out of season) gets no card of zeros.
    const idle = before.products.filter((p) =>
      p.days.every((d) => d.make === 0 && d.bring === 0 && d.preOrders === 0),
    );
    for (const p of idle) {
      await expect(page.getByRole('region', { name: p.productName, exact: true })).toHaveCount(0);
    }

    // No sideways scrolling of the page on a phone (the table scrolls inside its card).
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
    await expectNoSeriousAxeViolations(page);
    await saveScreenshot(page, testInfo.project.name, 'week-plan');

    // Print: the browser's print dialog, with the controls left off the sheet.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByRole('button', { name: 'Print' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
    await page.emulateMedia({ media: 'screen' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`week-plan-${from}.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'product,unit,market,date,decide_by,make,carried_over,pre_orders,bring,cut,frozen',
    );
    expect(csv).toContain(product!.productName);

    // Back to the defaults for the other specs.
    await page.request.patch(`/v1/products/${product!.productId}`, {
      headers,
      data: { planning: null },
    });
  });
});
