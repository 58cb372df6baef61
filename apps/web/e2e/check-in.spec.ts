import { expect, test, type Page } from '@playwright/test';

import {
  expectNoSeriousAxeViolations,
  saveScreenshot,
  signInAsDemo,
  signUpWithSales,
  waitForKept,
  waitForOfflineReady,
} from './market-day-helpers';

interface StoredCheckIn {
  lines: {
    productName: string;
    brought: number | null;
    leftOver: number | null;
    wasted: number | null;
    donated: number | null;
    checkedIn: boolean;
  }[];
}

test.describe('pack-up check-in', () => {
  test('new vendor: prep list -> offline -> check-in queued -> online -> stored once -> insights', async ({
    page,
    context,
  }, testInfo) => {
    test.setTimeout(120_000);
    const vendor = await signUpWithSales(page);
    const prepListUrl = `/prep-list/${vendor.marketId}/${vendor.today}`;
    const checkInUrl = `/check-in/${vendor.marketId}/${vendor.today}`;

    // The evening before: the prep list, with an explanation.
    await page.goto(prepListUrl);
    await expect(page.getByRole('heading', { level: 1, name: /^Prep list for / })).toBeVisible({
      timeout: 45_000,
    });
    const sourdough = page.locator('.pl-line', { hasText: 'Sourdough loaf' });
    await sourdough.getByText(/^Why \d+\?$/).click();
    await expect(sourdough.locator('.pl-why__sentence')).toContainText('Typical');
    const bring = Number(await sourdough.locator('.pl-qty__number').textContent());
    expect(bring).toBeGreaterThan(0);

    // Adjust by hand, then undo.
    await sourdough.getByRole('button', { name: 'Adjust quantity of Sourdough loaf' }).click();
    await sourdough.getByLabel(/Bring instead/).fill(String(bring + 5));
    await sourdough.getByRole('button', { name: 'Save' }).click();
    await expect(sourdough.getByText('Overridden')).toBeVisible();
    await expect(sourdough.locator('.pl-qty__number')).toHaveText(String(bring + 5));
    await sourdough.getByRole('button', { name: /^Undo/ }).click();
    await expect(sourdough.getByText('Overridden')).toHaveCount(0);
    await expect(sourdough.locator('.pl-qty__number')).toHaveText(String(bring));
    await waitForOfflineReady(page);
    await waitForKept(page, `/v1/markets/${vendor.marketId}/prep-lists/${vendor.today}`);

    // Open the check-in once online, so this phone keeps it.
    await page.goto(checkInUrl);
    await expect(page.getByRole('heading', { level: 1, name: /^Pack-up check-in/ })).toBeVisible();
    await expect(page.locator('.ci-line')).toHaveCount(2);
    await waitForOfflineReady(page);
    await waitForKept(page, `/v1/markets/${vendor.marketId}/check-ins/${vendor.today}`);

    // At the stall, no signal: the prep list still opens, from the kept copy.
    await context.setOffline(true);
    await page.goto(prepListUrl);
    await expect(page.getByText(/Offline.*showing the list as of/)).toBeVisible();

    await page.goto(checkInUrl);
    const line = page.locator('.ci-line', { hasText: 'Sourdough loaf' });
    await expect(line).toBeVisible();
    const leftOver = line.getByLabel('Left over', { exact: true });
    await leftOver.fill('5');
    await line.getByRole('button', { name: 'Increase Wasted' }).click();
    await line.getByRole('button', { name: 'Increase Wasted' }).click();
    await line.getByRole('button', { name: 'Increase Donated' }).click();
    // The form refuses what the API would refuse.
    await line.getByRole('button', { name: 'Increase Donated' }).click();
    await line.getByRole('button', { name: 'Increase Donated' }).click();
    await line.getByRole('button', { name: 'Increase Donated' }).click();
    await expect(
      line.getByText(/Wasted \+ donated \(6\) cannot be more than left over/),
    ).toBeVisible();
    await line.getByRole('button', { name: 'Decrease Donated' }).click();
    await line.getByRole('button', { name: 'Decrease Donated' }).click();
    await line.getByRole('button', { name: 'Decrease Donated' }).click();

    const roll = page.locator('.ci-line', { hasText: 'Cinnamon roll' });
    await roll.getByLabel('Left over', { exact: true }).fill('0');
    await roll.getByLabel('Sold out at (optional)').fill('11:40');

    await page.getByRole('button', { name: /^Save check-in/ }).click();
    await expect(page.getByTestId('check-in-pending')).toContainText('1 check-in waiting to send');
    await expectNoSeriousAxeViolations(page);
    await saveScreenshot(page, testInfo.project.name, 'check-in-offline-pending');

    // Back online: it goes out by itself, once.
    await context.setOffline(false);
    await expect(page.getByTestId('check-in-sent')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('check-in-pending')).toHaveCount(0);

    const stored = (await (
      await page.request.get(`/v1/markets/${vendor.marketId}/check-ins/${vendor.today}`)
    ).json()) as StoredCheckIn;
    const storedLoaf = stored.lines.find((l) => l.productName === 'Sourdough loaf');
    expect(storedLoaf).toMatchObject({ checkedIn: true, leftOver: 5, wasted: 2, donated: 1 });
    const storedRoll = stored.lines.find((l) => l.productName === 'Cinnamon roll');
    expect(storedRoll).toMatchObject({ checkedIn: true, leftOver: 0 });

    const list = (await (
      await page.request.get(`/v1/check-ins?marketId=${vendor.marketId}&from=${vendor.today}`)
    ).json()) as { data: { date: string; products: number; wasted: number; donated: number }[] };
    expect(list.data).toEqual([
      expect.objectContaining({ date: vendor.today, products: 2, wasted: 2, donated: 1 }),
    ]);

    // A reload (the queue is read again on every page load) sends nothing more.
    await page.reload();
    await expect(page.locator('.ci-line')).toHaveCount(2);
    await expect(page.getByTestId('check-in-pending')).toHaveCount(0);
    const queue = await page.evaluate(() => localStorage.getItem('marketprep.check-in-queue.v1'));
    expect(JSON.parse(queue ?? '{}')).toMatchObject({ items: [] });
    await saveScreenshot(page, testInfo.project.name, 'check-in');

    // Insights show the day: waste and the sell-out.
    await page.goto('/insights');
    const waste = page.locator('section', {
      has: page.getByRole('heading', { name: 'Waste and sell-outs' }),
    });
    await waste.getByText('Show the numbers').click();
    const row = waste.locator('tbody tr').last();
    await expect(row.locator('td')).toHaveText(['2', '1', '1']);
  });
});

/** The demo's markets by name. */
async function demoMarkets(page: Page): Promise<Map<string, { id: string; name: string }>> {
  const body = (await (await page.request.get('/v1/markets')).json()) as {
    data: { id: string; name: string }[];
  };
  return new Map(body.data.map((market) => [market.name, market]));
}

/** `'2026-11-29'` → `'Sun, Nov 29'` (en-US, as the app writes a market's date). */
function shortDate(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

// Issue 14 item 10, at 375 x 812 (mobile) and 1280 x 800 (desktop).
test.describe('check-in market days', () => {
  test.beforeEach(async ({ page }, testInfo) => {
    if (testInfo.project.name === 'desktop')
      await page.setViewportSize({ width: 1280, height: 800 });
    await signInAsDemo(page);
  });

  test('in December, a day still ahead says when to check in, with no form to fill', async ({
    page,
  }, testInfo) => {
    await page.clock.setFixedTime(new Date('2026-12-05T16:00:00Z'));
    const riverside = (await demoMarkets(page)).get('Riverside Saturday Market')!;
    await page.goto(`/check-in/${riverside.id}/2026-12-12`);
    await expect(
      page.getByRole('heading', { name: 'This market day is still ahead' }),
    ).toBeVisible();
    await expect(page.getByTestId('check-in-not-yet')).toHaveText(
      'Check in after the market on Sat, Dec 12.',
    );
    await expect(page.getByTestId('check-in-not-yet')).toBeInViewport();
    // Nothing to type into, nothing that Save would refuse.
    await expect(page.getByRole('spinbutton')).toHaveCount(0);
    await expect(page.getByRole('textbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Save/ })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Prep list for Sat, Dec 12' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await saveScreenshot(page, testInfo.project.name, 'check-in-not-yet');
  });

  test('in December, an out-of-season Sunday gives the reason and links the market days around it', async ({
    page,
  }) => {
    await page.clock.setFixedTime(new Date('2026-12-05T16:00:00Z'));
    const maplewood = (await demoMarkets(page)).get('Maplewood Sunday Market')!;
    const api = (await (
      await page.request.get(`/v1/markets/${maplewood.id}/check-ins/2026-12-06`)
    ).json()) as { detail: string; previousMarketDate: string; nextMarketDate: string };
    expect(api.nextMarketDate).toBe('2027-04-04');
    await page.goto(`/check-in/${maplewood.id}/2026-12-06`);
    await expect(page.getByRole('heading', { name: 'No market that day' })).toBeVisible();
    const refusal = page.getByTestId('check-in-refusal');
    await expect(refusal).toHaveText(api.detail);
    await expect(refusal).toContainText(
      'Maplewood Sunday Market is closed on Sun, Dec 6: its Sunday market runs Apr 1–Nov 30; its next market day is Sun, Apr 4',
    );
    await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    // After the market: the day before comes first.
    const nearest = page.getByRole('list', { name: 'Nearest market days' }).getByRole('link');
    await expect(nearest).toHaveText([
      `Check-in for ${shortDate(api.previousMarketDate)}`,
      'Check-in for Sun, Apr 4, 2027',
    ]);
    await expectNoSeriousAxeViolations(page);
    await nearest.first().click();
    await expect(
      page.getByRole('heading', {
        level: 1,
        name: `Pack-up check-in, ${shortDate(api.previousMarketDate)}`,
      }),
    ).toBeVisible();
    await expect(page.getByRole('spinbutton').first()).toBeVisible();
  });

  test('in July, the check-in picker offers the Sundays just past', async ({ page }) => {
    await page.clock.setFixedTime(new Date('2026-07-15T17:00:00Z'));
    await page.goto('/check-in');
    await page
      .getByRole('combobox', { name: 'Market', exact: true })
      .selectOption({ label: 'Maplewood Sunday Market' });
    const day = page.getByRole('combobox', { name: 'Market day' });
    const options = await day.locator('option').allTextContents();
    // Newest first, Sundays only, none after today (Wednesday Jul 15).
    expect(options.length).toBeGreaterThanOrEqual(5);
    expect(options.every((text) => text.startsWith('Sun, '))).toBe(true);
    expect(['Sun, Jul 12', 'Sun, Jul 5']).toContain(options[0]);
    await expectNoSeriousAxeViolations(page);
    const chosen = options[0]!;
    await day.selectOption({ label: chosen });
    await page.getByRole('button', { name: 'Open check-in' }).click();
    await expect(
      page.getByRole('heading', { level: 1, name: `Pack-up check-in, ${chosen}` }),
    ).toBeVisible();
    await expect(page.getByRole('spinbutton').first()).toBeVisible();
  });
});
