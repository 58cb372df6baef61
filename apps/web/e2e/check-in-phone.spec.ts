/**
 * The check-in on a phone (issue 14 items 1–3): Save stays reachable above the bottom bar,
 * leaving with unsaved edits warns, a business without prep lists saves its first check-in
 * untouched, and two phones checking in the same day on different products keep both lines.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';

import { addDays, MARKET_TZ, marketToday, signUpWithSales } from './market-day-helpers';
import { signUpThroughApi } from './account-helpers';

interface StoredCheckIn {
  lines: {
    productName: string;
    brought: number | null;
    sold: number | null;
    leftOver: number | null;
    wasted: number | null;
    checkedIn: boolean;
  }[];
}

/** The same check-in open on this phone and on a second one signed in to the same account. */
async function openOnTwoPhones(page: Page, browser: Browser, url: string) {
  const other = await browser.newContext({
    storageState: await page.context().storageState(),
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
  });
  const phoneB = await other.newPage();
  await page.goto(url);
  await phoneB.goto(url);
  await expect(page.locator('.ci-line')).toHaveCount(2, { timeout: 45_000 });
  await expect(phoneB.locator('.ci-line')).toHaveCount(2, { timeout: 45_000 });
  return { other, phoneB };
}

/** Whether the Save button's centre is the topmost element there (nothing covers it). */
async function saveIsOnTop(page: Page): Promise<boolean> {
  return page.locator('.ci-submit__button').evaluate((button) => {
    const box = button.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    if (y < 0 || y > window.innerHeight) return false;
    const top = document.elementFromPoint(x, y);
    return top !== null && button.contains(top);
  });
}

/**
 * A CSV-onboarded business without prep lists and without a "brought" column: 8 weeks of sales
 * at one market that runs on today's weekday. Returns the market and last week's date.
 */
async function signUpWithSalesOnly(page: Page): Promise<{ marketId: string; date: string }> {
  const email = `e2e-ci-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const { csrfToken } = await signUpThroughApi(page.request, {
    email,
    password: 'e2e-password-123',
    name: 'E2E Vendor',
    vendorName: 'E2E Farm',
  });
  const headers = { 'x-csrf-token': csrfToken };
  const today = marketToday();
  const rows = ['date,market,product,quantity,unit_price'];
  for (let week = 8; week >= 1; week--) {
    rows.push(`${addDays(today, -7 * week)},E2E Market,Sourdough loaf,${30 + (week % 3)},7.50`);
  }
  const imported = await page.request.post(
    `/v1/imports?fileName=sales.csv&marketTimezone=${encodeURIComponent(MARKET_TZ)}`,
    { headers: { ...headers, 'content-type': 'text/csv' }, data: `${rows.join('\n')}\n` },
  );
  expect(imported.status(), await imported.text()).toBe(201);
  const markets = (await (await page.request.get('/v1/markets')).json()) as {
    data: { id: string }[];
  };
  const marketId = markets.data[0]?.id ?? '';
  const [y = 0, m = 1, d = 1] = today.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  const patched = await page.request.patch(`/v1/markets/${marketId}`, {
    headers,
    data: { schedule: [{ weekday, opensAt: '08:00', closesAt: '13:00' }] },
  });
  expect(patched.status(), await patched.text()).toBe(200);
  return { marketId, date: addDays(today, -7) };
}

async function storedCheckIn(page: Page, marketId: string, date: string) {
  const response = await page.request.get(`/v1/markets/${marketId}/check-ins/${date}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as StoredCheckIn;
}

test.describe('phone check-in', () => {
  test.skip(({ isMobile }) => !isMobile, 'the phone layout');

  test('Save is on top of the bottom bar at 375 and 320 wide; leaving unsaved edits warns', async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const vendor = await signUpWithSales(page);
    const date = addDays(vendor.today, -7);
    for (const size of [
      { width: 375, height: 812 },
      { width: 320, height: 640 },
    ]) {
      await page.setViewportSize(size);
      await page.goto(`/check-in/${vendor.marketId}/${date}`);
      await expect(page.locator('.ci-line')).toHaveCount(2, { timeout: 45_000 });
      await expect(page.locator('.bottom-nav')).toBeVisible();
      expect(await saveIsOnTop(page), `at the top, ${size.width} wide`).toBe(true);
      // Halfway down and at the very bottom of the page as well.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
      expect(await saveIsOnTop(page), `halfway, ${size.width} wide`).toBe(true);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      expect(await saveIsOnTop(page), `at the bottom, ${size.width} wide`).toBe(true);
      await page.screenshot({ path: testInfo.outputPath(`check-in-${size.width}.png`) });
    }

    // An edit, then a tap on the bottom bar: asked first; "stay" keeps the value.
    const line = page.locator('.ci-line', { hasText: 'Sourdough loaf' });
    await line.getByLabel('Left over', { exact: true }).fill('4');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await page.locator('.bottom-nav').getByRole('link').first().click();
    expect(asked).toMatch(/not saved/);
    await expect(page).toHaveURL(new RegExp(`/check-in/${vendor.marketId}/${date}$`));
    await expect(line.getByLabel('Left over', { exact: true })).toHaveValue('4');

    // Saved: no more question on the way out.
    await page.locator('.ci-submit__button').click();
    await expect(page.getByTestId('check-in-sent')).toBeVisible({ timeout: 20_000 });
    // The form is reloaded with the stored values right after the send: once it settles.
    await expect.poll(() => saveIsOnTop(page)).toBe(true);
    // The confirmation is where the thumb is, with the way to the next market day's prep list.
    const sentHere = page.getByTestId('check-in-sent-here');
    await expect(sentHere).toBeInViewport();
    await expect(sentHere).toContainText(/^✓ Sent at \d{1,2}:\d{2}/);
    const next = sentHere.getByRole('link', { name: /^Next market day: / });
    const href = (await next.getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`^/prep-list/${vendor.marketId}/\\d{4}-\\d{2}-\\d{2}$`));
    expect(href.slice(-10) >= vendor.today).toBe(true);

    // At the desk (no bottom bar) the bar sits at the window's bottom edge.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await saveIsOnTop(page), '1280 wide').toBe(true);
    await page.screenshot({ path: testInfo.outputPath('check-in-1280.png') });
  });

  test('without a prep list the first check-in saves untouched: brought = sold + left over', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const vendor = await signUpWithSalesOnly(page);
    const date = vendor.date;
    await page.goto(`/check-in/${vendor.marketId}/${date}`);
    const line = page.locator('.ci-line', { hasText: 'Sourdough loaf' });
    await expect(line).toBeVisible({ timeout: 45_000 });
    const before = await storedCheckIn(page, vendor.marketId, date);
    const sourdough = before.lines.find((l) => l.productName === 'Sourdough loaf');
    expect(sourdough?.checkedIn).toBe(false);
    const sold = sourdough?.sold ?? 0;
    expect(sold).toBeGreaterThan(0);
    await expect(
      line.getByText(`Brought: not recorded (sold + left over = ${sold} each)`),
    ).toBeVisible();

    await page.locator('.ci-submit__button').click();
    await expect(page.getByTestId('check-in-sent')).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('.ci-summary').getByRole('alert')).toHaveCount(0);
    await expect(page.getByText(/^Fix \d+ products?/)).toHaveCount(0);
    const after = await storedCheckIn(page, vendor.marketId, date);
    expect(after.lines.find((l) => l.productName === 'Sourdough loaf')).toMatchObject({
      checkedIn: true,
      brought: sold,
      sold,
      leftOver: 0,
    });

    // Brought typed below sold: the message is under the field (its section opens) and in the
    // summary, which is scrolled into view from the Save bar.
    await line.getByText('Brought, sold and rating').click();
    await line.getByLabel('Brought', { exact: true }).fill('10');
    const fieldError = line.getByText(`Sold (${sold}) cannot be more than brought (10).`);
    await expect(fieldError).toBeVisible();
    await line.getByText('Brought, sold and rating').click();
    await expect(fieldError).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.locator('.ci-submit__button').click();
    const summary = page.locator('.ci-summary').getByRole('alert');
    await expect(summary).toContainText('Fix 1 product before saving');
    await expect(summary).toContainText(
      `Sourdough loaf: Sold (${sold}) cannot be more than brought (10).`,
    );
    await expect(summary).toBeInViewport();
  });

  test('two phones on the same day, different products: both lines survive; same product: conflict', async ({
    page,
    browser,
  }) => {
    test.setTimeout(150_000);
    const vendor = await signUpWithSales(page);
    const date = addDays(vendor.today, -7);
    const url = `/check-in/${vendor.marketId}/${date}`;
    const { other, phoneB } = await openOnTwoPhones(page, browser, url);

    // Phone A: sourdough, 3 left over. Phone B (loaded before A saved): cinnamon rolls, 2.
    await page
      .locator('.ci-line', { hasText: 'Sourdough loaf' })
      .getByLabel('Left over', { exact: true })
      .fill('3');
    await page.locator('.ci-submit__button').click();
    await expect(page.getByTestId('check-in-sent')).toBeVisible({ timeout: 20_000 });

    await phoneB
      .locator('.ci-line', { hasText: 'Cinnamon roll' })
      .getByLabel('Left over', { exact: true })
      .fill('2');
    await phoneB.locator('.ci-submit__button').click();
    await expect(phoneB.getByTestId('check-in-sent')).toBeVisible({ timeout: 20_000 });

    const both = await storedCheckIn(page, vendor.marketId, date);
    expect(both.lines.find((l) => l.productName === 'Sourdough loaf')).toMatchObject({
      checkedIn: true,
      leftOver: 3,
    });
    expect(both.lines.find((l) => l.productName === 'Cinnamon roll')).toMatchObject({
      checkedIn: true,
      leftOver: 2,
    });

    // Phone A still shows what it loaded before B's save; it now edits B's product: a conflict.
    await page.reload();
    await phoneB.reload();
    await expect(page.locator('.ci-line')).toHaveCount(2, { timeout: 45_000 });
    await expect(phoneB.locator('.ci-line')).toHaveCount(2, { timeout: 45_000 });
    await phoneB
      .locator('.ci-line', { hasText: 'Cinnamon roll' })
      .getByLabel('Left over', { exact: true })
      .fill('1');
    // While Save is checked against the server, the first save's "sent" does not stand for it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const checkInApi = `**/v1/markets/${vendor.marketId}/check-ins/${date}`;
    await other.route(checkInApi, async (route) => {
      if (route.request().method() === 'GET') await held;
      await route.continue();
    });
    await phoneB.locator('.ci-submit__button').click();
    await expect(phoneB.locator('.ci-submit__button')).toBeDisabled();
    await expect(phoneB.getByTestId('check-in-sent')).toBeHidden();
    release();
    await expect(phoneB.getByTestId('check-in-sent')).toBeVisible({ timeout: 20_000 });
    await expect
      .poll(
        async () =>
          (await storedCheckIn(page, vendor.marketId, date)).lines.find(
            (l) => l.productName === 'Cinnamon roll',
          )?.leftOver,
        { timeout: 20_000 },
      )
      .toBe(1);

    await page
      .locator('.ci-line', { hasText: 'Cinnamon roll' })
      .getByLabel('Left over', { exact: true })
      .fill('5');
    await page.locator('.ci-submit__button').click();
    const conflict = page.getByTestId('check-in-conflict');
    await expect(conflict).toContainText('Changed on another phone');
    await expect(conflict).toContainText('Cinnamon roll: saved there as left over 1');
    await conflict.getByRole('button', { name: 'Keep theirs' }).click();
    await expect(
      page
        .locator('.ci-line', { hasText: 'Cinnamon roll' })
        .getByLabel('Left over', { exact: true }),
    ).toHaveValue('1');
    const kept = await storedCheckIn(page, vendor.marketId, date);
    expect(kept.lines.find((l) => l.productName === 'Cinnamon roll')?.leftOver).toBe(1);
    await other.close();
  });

  test('a save queued offline that another phone overtook is refused, not written over theirs', async ({
    page,
    browser,
  }) => {
    test.setTimeout(150_000);
    const vendor = await signUpWithSales(page);
    const date = addDays(vendor.today, -14);
    const url = `/check-in/${vendor.marketId}/${date}`;
    const { other, phoneB } = await openOnTwoPhones(page, browser, url);

    // Phone A has no signal at the market: its save waits on the phone.
    await page.context().setOffline(true);
    await page
      .locator('.ci-line', { hasText: 'Cinnamon roll' })
      .getByLabel('Left over', { exact: true })
      .fill('5');
    await page.locator('.ci-submit__button').click();
    await expect(page.getByTestId('check-in-pending')).toBeVisible();

    // Meanwhile phone B saves the same product.
    await phoneB
      .locator('.ci-line', { hasText: 'Cinnamon roll' })
      .getByLabel('Left over', { exact: true })
      .fill('1');
    await phoneB.locator('.ci-submit__button').click();
    await expect(phoneB.getByTestId('check-in-sent')).toBeVisible({ timeout: 20_000 });

    // Back online, A's stale save is refused by the API (it carries the version A loaded) and
    // says why; B's number stays.
    await page.context().setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect(page.locator('.ci-outbox .notice--error')).toContainText(
      'Someone else saved some of these products',
      { timeout: 20_000 },
    );
    const stored = await storedCheckIn(page, vendor.marketId, date);
    expect(stored.lines.find((l) => l.productName === 'Cinnamon roll')?.leftOver).toBe(1);
    await other.close();
  });
});
