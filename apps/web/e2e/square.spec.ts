import { expect, test, type Page } from '@playwright/test';

import { expectAccessible, signUpThroughApi, uniqueEmail } from './account-helpers';

// `npm start` without SQUARE_APPLICATION_ID runs Square against the local fake (demo mode), so
// the whole OAuth round trip happens here: consent at the fake, the callback on the web origin,
// the stored connection, the mapping screen and the backfill of the fake's season of orders. The
// demo fake grants every connect a merchant of its own, so both projects connect on one server.

/** A new business that already has two of the demo Square locations as markets, and 3 products. */
async function signUpWithMarketsAndProducts(page: Page): Promise<void> {
  const { csrfToken } = await signUpThroughApi(page.request, {
    email: uniqueEmail('square'),
    password: 'e2e-password-123',
    name: 'Olive Owner',
    vendorName: 'Prairie Hearth Bakery',
  });
  const headers = { 'x-csrf-token': csrfToken };
  for (const [name, latitude, longitude] of [
    ['Riverside Saturday Market', 41.8786, -87.6589],
    ['Maplewood Sunday Market', 41.9236, -87.6906],
  ] as const) {
    const market = await page.request.post('/v1/markets', {
      headers,
      data: { name, latitude, longitude, timezone: 'America/Chicago', countryCode: 'US' },
    });
    expect(market.status(), await market.text()).toBe(201);
  }
  for (const [name, priceMinor] of [
    ['Country Sourdough', 900],
    ['Baguette', 450],
    ['Butter Croissant', 425],
  ] as const) {
    const product = await page.request.post('/v1/products', {
      headers,
      data: { name, priceMinor },
    });
    expect(product.status(), await product.text()).toBe(201);
  }
}

/** The select of one Square location or item (its label is the location or item name). */
const select = (page: Page, name: string) => page.getByRole('combobox', { name, exact: true });

test.describe('Square connect against the fake', () => {
  test('a Square connect in the demo maps and backfills with visible progress', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const desktop = testInfo.project.name === 'desktop';
    if (desktop) await page.setViewportSize({ width: 1280, height: 800 });
    else expect(page.viewportSize()).toEqual({ width: 375, height: 812 });
    await signUpWithMarketsAndProducts(page);

    await page.goto('/settings/integrations');
    const panel = page.getByRole('region', { name: 'Square' });
    const connect = page.waitForResponse((r) =>
      r.url().includes('/v1/integrations/square/connect'),
    );
    // The consent page of the fake approves at once and redirects to the callback.
    const consent = page.waitForRequest((r) => r.url().includes('/oauth2/authorize'));
    await panel.getByRole('button', { name: 'Connect Square' }).click();
    expect((await connect).status()).toBe(200);
    const authorize = new URL((await consent).url());
    expect(authorize.searchParams.get('client_id')).toBeTruthy();
    expect(authorize.searchParams.get('state')).toBeTruthy();

    // Locations and items are not matched yet: the mapping screen comes first.
    await expect(page).toHaveURL(/\/settings\/integrations\/mapping\?connected=1$/, {
      timeout: 30_000,
    });
    await expect(
      page.getByRole('heading', { level: 1, name: 'Match Square to your markets and products' }),
    ).toBeVisible();
    await expect(
      page.getByRole('status').filter({ hasText: 'Square is connected.' }),
    ).toBeVisible();

    // Suggestions first: same-name markets and products are preselected and say so.
    const riverside = select(page, 'Riverside Saturday Market');
    await expect(riverside.locator('option:checked')).toHaveText(
      'Riverside Saturday Market (suggested)',
    );
    await expect(select(page, 'Maplewood Sunday Market').locator('option:checked')).toHaveText(
      'Maplewood Sunday Market (suggested)',
    );
    await expect(select(page, 'Country Sourdough').locator('option:checked')).toHaveText(
      'Country Sourdough (suggested)',
    );
    // An item with no product of that name is created by default; a location must be answered.
    await expect(select(page, 'Strawberries').locator('option:checked')).toHaveText(
      'Create a product named “Strawberries”',
    );
    const kitchen = select(page, 'Prairie Hearth Kitchen (pickup)');
    await expect(kitchen.locator('option:checked')).toHaveText('Choose a market…');
    await expect(page.getByText('2 locations need an answer')).toBeVisible();
    await expect(page.getByText('14 items', { exact: true })).toBeVisible();

    // Phone: no sideways scrolling, selects are big enough to tap. Desktop: cards side by side.
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const box = await riverside.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(44);
    const maplewoodBox = await select(page, 'Maplewood Sunday Market').boundingBox();
    if (desktop) expect(maplewoodBox?.y).toBe(box?.y);
    else expect(maplewoodBox!.y).toBeGreaterThan(box!.y + box!.height);
    // The settings section list marks Square as the current section on its mapping screen.
    await expect(
      page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', {
        name: 'Square',
      }),
    ).toHaveAttribute('aria-current', 'page');
    await expectAccessible(page, 'settings: square mapping');
    await page.screenshot({ path: testInfo.outputPath('mapping.png') });

    // One Save for the whole screen: unanswered locations stop it, each with its own message.
    const save = page.getByRole('button', { name: 'Save and bring in sales' });
    await save.click();
    await expect(
      page.getByRole('alert').filter({ hasText: '2 answers need fixing' }),
    ).toBeVisible();
    await expect(page.locator('.square-mapping__summary')).toBeFocused();
    await expect(kitchen).toHaveAccessibleDescription(
      /Choose a market for this location, or mark it "Not a market"\./,
    );
    await expect(page).toHaveURL(/\/settings\/integrations\/mapping/);
    await kitchen.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('mapping-errors.png') });

    // The home kitchen is not a market; Lakeview becomes a new market; the tote bag is not tracked.
    await kitchen.selectOption({ label: 'Not a market (its sales never count)' });
    await select(page, 'Lakeview Wednesday Evening Market').selectOption({
      label: 'Create a market named “Lakeview Wednesday Evening Market”',
    });
    await select(page, 'Market Tote Bag').selectOption({
      label: 'Don’t track (its sales never count)',
    });
    await expect(kitchen).not.toHaveAttribute('aria-invalid', 'true');
    await save.click();

    // Back on the Square page: the history comes in, with its progress, then the notice ends.
    await expect(page).toHaveURL(/\/settings\/integrations\?square=mapped$/, { timeout: 15_000 });
    const comingIn = page
      .getByRole('status')
      .filter({ hasText: 'Your sales history is coming in now' });
    await expect(comingIn).toBeVisible();
    await expect(
      panel.getByRole('heading', { name: 'Bringing in your sales history (running)' }),
    ).toBeVisible();
    await expect(panel.getByRole('progressbar', { name: 'Sync in progress' })).toBeVisible();
    // Pages arrive one by one (the fake answers at about Square's pace).
    await expect(
      panel.getByText(/^\d+ pages? done: [\d,]+ orders? read, [\d,]+ sale lines? stored/),
    ).toBeVisible({
      timeout: 30_000,
    });
    await panel.getByRole('progressbar').scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('backfill-running.png') });

    const complete = page
      .getByRole('status')
      .filter({ hasText: /^History complete: [\d,]+ orders, [\d,]+ sale lines\.$/ });
    await expect(complete).toBeVisible({ timeout: 120_000 });
    await expect(comingIn).toHaveCount(0);
    await expect(
      panel.getByRole('heading', { name: 'Bringing in your sales history (done)' }),
    ).toBeVisible();
    await expect(panel.getByRole('progressbar')).toHaveCount(0);
    await expect(panel.getByText('Connected', { exact: true })).toBeVisible();
    await expect(panel.getByText(/^MLFAKEMERCHANT\d{2}$/)).toBeVisible();
    await expect(panel.getByText('Every Square location and item has an answer.')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('backfill-done.png') });

    // The season came in for the three markets (thousands of orders), the kitchen's did not.
    const text = (await complete.textContent()) ?? '';
    const [orders = 0, lines = 0] = [...text.matchAll(/\d[\d,]*/g)].map((m) =>
      Number(m[0].replace(/,/g, '')),
    );
    expect(orders).toBeGreaterThan(5_000);
    expect(lines).toBeGreaterThan(orders / 2);
    const mapping = (await (await page.request.get('/v1/integrations/square/mapping')).json()) as {
      locations: { name: string; marketId: string | null; ignored: boolean }[];
    };
    expect(mapping.locations.map((l) => [l.name, l.marketId !== null, l.ignored]).sort()).toEqual([
      ['Lakeview Wednesday Evening Market', true, false],
      ['Maplewood Sunday Market', true, false],
      ['Prairie Hearth Kitchen (pickup)', false, true],
      ['Riverside Saturday Market', true, false],
    ]);
    await expectAccessible(page, 'settings: square backfill complete');

    // The answers are remembered: the kitchen is not offered as unmatched again.
    await panel.getByRole('link', { name: 'Match locations and items' }).click();
    await expect(
      select(page, 'Prairie Hearth Kitchen (pickup)').locator('option:checked'),
    ).toHaveText('Not a market (its sales never count)');
    await expect(page.getByText('4 locations, all answered')).toBeVisible();
  });
});
