/**
 * A year in the life of the demo vendor (issue 13, STYLE.md #18): the prep list of Riverside
 * Saturday Market (all year) on a January, a Mother's Day, a mid-July and a Christmas-week
 * Saturday, each opened with the browser's clock on the evening before, packs what that vendor
 * would pack; and the dashboard's expected sales follow a quantity the vendor sets by hand.
 *
 * The dates come from today's date where the market is, so the spec keeps its meaning next year.
 * The server's clock is the real one (the seed's history ends yesterday), so every list below is
 * a real forecast for a day up to a year ahead. The demo's products and seasons:
 * packages/db/src/seed/demo-data.ts. The market edit keeping its seasons, and the markets saying
 * when their season starts by the browser's clock, are in market-seasons.spec.ts.
 */
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';

import { marketToday, signInAsDemo } from './market-day-helpers';

const RIVERSIDE = 'Riverside Saturday Market';
const SOURDOUGH = 'Country Sourdough';
const SUMMER_PRODUCE = [
  'Strawberries',
  'Blueberries',
  'Sweet Corn (half dozen)',
  'Heirloom Tomatoes',
  'Summer Bouquet',
  'Tulips (10 stems)',
];

const DAY_MS = 86_400_000;

/**
 * The first Saturday after `today` in `month` (1-12) whose day of the month is in [from, to]:
 * always within the API's 400-day window.
 */
function nextSaturday(today: string, month: number, from: number, to: number): string {
  const start = Date.parse(`${today}T00:00:00Z`);
  for (let day = 1; day <= 400; day += 1) {
    const date = new Date(start + day * DAY_MS);
    const dayOfMonth = date.getUTCDate();
    if (
      date.getUTCDay() === 6 &&
      date.getUTCMonth() + 1 === month &&
      dayOfMonth >= from &&
      dayOfMonth <= to
    ) {
      return date.toISOString().slice(0, 10);
    }
  }
  throw new Error(`no Saturday between ${month}/${from} and ${month}/${to} within 400 days`);
}

/** 123456 -> `"$1,234.56"`, as the app writes dollars. */
function dollars(minor: number): string {
  return `$${Math.floor(minor / 100).toLocaleString('en-US')}.${String(minor % 100).padStart(2, '0')}`;
}

/** `"$1,234.56"` -> 123456. */
function minorOf(text: string): number {
  const match = /\$([\d,]+)\.(\d{2})/.exec(text);
  expect(match, `a dollar amount in "${text}"`).not.toBeNull();
  return Number(match![1]!.replaceAll(',', '')) * 100 + Number(match![2]);
}

async function riversideId(page: Page): Promise<string> {
  const response = await page.request.get('/v1/markets');
  expect(response.status()).toBe(200);
  const markets = ((await response.json()) as { data: { id: string; name: string }[] }).data;
  const riverside = markets.find((market) => market.name === RIVERSIDE);
  expect(riverside, RIVERSIDE).toBeDefined();
  return riverside!.id;
}

/** The packing list (in season, or set by hand) and the out-of-season list behind the toggle. */
function packedLines(page: Page): Locator {
  return page.locator('.pl > .pl-lines > .pl-line');
}
function outOfSeasonLines(page: Page): Locator {
  return page.locator('#pl-out-of-season .pl-line');
}
function cardOf(lines: Locator, name: string): Locator {
  return lines.filter({
    has: lines.page().getByRole('heading', { level: 3, name, exact: true }),
  });
}

interface OpenedList {
  /** The header's "N items to bring · expected revenue $X". */
  totalQuantity: number;
  totalRevenueMinor: number;
  packedNames: string[];
}

/**
 * Opens Riverside's list for `date` with the browser's clock at the evening before (01:00 UTC is
 * 19:00 or 20:00 in Chicago the day before), once every card of the packing list is rendered.
 */
async function openList(page: Page, marketId: string, date: string): Promise<OpenedList> {
  await page.clock.setFixedTime(new Date(`${date}T01:00:00Z`));
  await page.goto(`/prep-list/${marketId}/${date}`);
  await expect(page.locator('.pl-eyebrow')).toHaveText(RIVERSIDE, { timeout: 30_000 });
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const longDate = new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
  }).format(new Date(Date.UTC(year, month - 1, day)));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(longDate);
  const count = page.locator('.pl-count');
  await expect(count).toHaveText(/^Showing (\d+) of \1 products$/);
  const shown = Number(/of (\d+)/.exec((await count.textContent()) ?? '')?.[1]);
  await expect(packedLines(page)).toHaveCount(shown);
  const lede = (await page.locator('.page-header__lede').textContent()) ?? '';
  const header = /^(\d+) items to bring · expected revenue (\$[\d,.]+)$/.exec(lede);
  expect(header, lede).not.toBeNull();
  return {
    totalQuantity: Number(header![1]),
    totalRevenueMinor: minorOf(header![2]!),
    packedNames: await packedLines(page).locator('h3').allTextContents(),
  };
}

async function quantityOf(card: Locator): Promise<number> {
  return Number(await card.locator('.pl-qty__number').textContent());
}

/**
 * Opens the out-of-season list and checks each of `names` is there with 0 to bring and the
 * engine's reason; returns how many the toggle said it hides.
 */
async function expectOutOfSeason(page: Page, names: readonly string[]): Promise<number> {
  const toggle = page.getByRole('button', { name: /^Show out-of-season \(\d+\)$/ });
  await expect(toggle).toBeVisible();
  const hidden = Number(/\((\d+)\)/.exec((await toggle.textContent()) ?? '')?.[1]);
  await toggle.click();
  await expect(page.getByRole('heading', { level: 2, name: 'Out of season' })).toBeVisible();
  await expect(outOfSeasonLines(page)).toHaveCount(hidden);
  for (const name of names) {
    const card = cardOf(outOfSeasonLines(page), name);
    await expect(card, name).toHaveCount(1);
    await expect(card.locator('.pl-qty__number'), name).toHaveText('0');
    await expect(card.locator('.pl-season-note'), name).toHaveText(
      /^Not in season: last sold \w{3} \d+; usually \w{3}/,
    );
  }
  return hidden;
}

/** What each packed card says it is expected to bring in (its last dollar amount). */
async function packedRevenueMinor(page: Page): Promise<number> {
  const texts = await packedLines(page).locator('.pl-line__name .pl-muted').allTextContents();
  return texts.map(minorOf).reduce((sum, value) => sum + value, 0);
}

/**
 * A full-page capture into the test's output (both projects: 375 and 1280 px), from the top,
 * with every card drawn (cards off screen skip rendering, which a full-page capture shows blank).
 */
async function capture(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const showAll = await page.addStyleTag({
    content: '* { content-visibility: visible !important; }',
  });
  await page.screenshot({
    path: testInfo.outputPath(`${name}-${testInfo.project.name}.png`),
    fullPage: true,
  });
  await showAll.evaluate((style) => style.parentNode?.removeChild(style));
}

test.describe('a year in the life of the demo vendor', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsDemo(page);
  });

  test('mid-January: bread and preserves, no summer produce; the totals are the packed cards', async ({
    page,
  }, testInfo) => {
    // The second Saturday of January: a winter day past the New Year week.
    const date = nextSaturday(marketToday(), 1, 8, 14);
    const list = await openList(page, await riversideId(page), date);

    for (const name of [
      'Strawberries',
      'Blueberries',
      'Sweet Corn (half dozen)',
      'Tulips (10 stems)',
    ]) {
      expect(list.packedNames, name).not.toContain(name);
    }
    expect(list.packedNames).toContain(SOURDOUGH);
    expect(await quantityOf(cardOf(packedLines(page), SOURDOUGH))).toBeGreaterThan(0);
    // The header is what the packing list adds up to, in units and in dollars.
    const quantities = (await packedLines(page).locator('.pl-qty__number').allTextContents()).map(
      Number,
    );
    expect(quantities.reduce((sum, value) => sum + value, 0)).toBe(list.totalQuantity);
    expect(await packedRevenueMinor(page)).toBe(list.totalRevenueMinor);
    await capture(page, testInfo, 'year-january');

    // Looking for the blueberries (not the scones): the search says where they went.
    await page.getByLabel('Search').fill('Blueberries');
    await expect(page.getByRole('heading', { name: 'No product matches' })).toBeVisible();
    await expect(
      page.getByText('Out of season (at the end of the list): Blueberries.', { exact: true }),
    ).toBeVisible();
    await page.getByLabel('Search').fill('');
    await expect(packedLines(page)).toHaveCount(list.packedNames.length);

    const hidden = await expectOutOfSeason(page, [
      'Strawberries',
      'Blueberries',
      'Sweet Corn (half dozen)',
      'Tulips (10 stems)',
    ]);
    expect(hidden).toBeGreaterThanOrEqual(4);
    // Shown, they still add nothing.
    await expect(page.locator('.page-header__lede')).toHaveText(
      new RegExp(`^${list.totalQuantity} items to bring`),
    );
    await capture(page, testInfo, 'year-january-out-of-season');
  });

  test("Mother's Day weekend: tulips to bring; blueberries and pumpkin pie out of season", async ({
    page,
  }) => {
    // The Saturday before the second Sunday of May.
    const date = nextSaturday(marketToday(), 5, 7, 13);
    const list = await openList(page, await riversideId(page), date);
    expect(list.packedNames).toContain('Tulips (10 stems)');
    expect(await quantityOf(cardOf(packedLines(page), 'Tulips (10 stems)'))).toBeGreaterThan(0);
    for (const name of ['Blueberries', 'Pumpkin Pie']) {
      expect(list.packedNames, name).not.toContain(name);
    }
    await expectOutOfSeason(page, ['Blueberries', 'Pumpkin Pie']);
  });

  test('mid-July: blueberries and sweet corn to bring; apples and pumpkin pie out of season', async ({
    page,
  }) => {
    const date = nextSaturday(marketToday(), 7, 10, 16);
    const list = await openList(page, await riversideId(page), date);
    for (const name of ['Blueberries', 'Sweet Corn (half dozen)']) {
      expect(list.packedNames, name).toContain(name);
      expect(await quantityOf(cardOf(packedLines(page), name)), name).toBeGreaterThan(0);
    }
    for (const name of ['Apples (2 lb bag)', 'Pumpkin Pie']) {
      expect(list.packedNames, name).not.toContain(name);
    }
    await expectOutOfSeason(page, ['Apples (2 lb bag)', 'Pumpkin Pie']);
  });

  test('the week before Christmas: the sourdough says "Christmas week"; no summer produce', async ({
    page,
  }, testInfo) => {
    // The Saturday of Dec 18-24 (next year's once this year's has passed).
    const date = nextSaturday(marketToday(), 12, 18, 24);
    const list = await openList(page, await riversideId(page), date);
    for (const name of SUMMER_PRODUCE) {
      expect(list.packedNames, name).not.toContain(name);
    }
    const sourdough = cardOf(packedLines(page), SOURDOUGH);
    const quantity = await quantityOf(sourdough);
    expect(quantity).toBeGreaterThan(0);
    await sourdough.getByText(`Why ${quantity}?`, { exact: true }).click();
    // In the one-line summary (a notable effect), once, with its size in loaves.
    await expect(sourdough.locator('.pl-why__sentence')).toContainText(
      /Christmas week: \+\d+%, \+[\d.]+ loaves/,
    );
    await expect(sourdough.locator('.pl-why__parts')).not.toContainText('Christmas week');
    await capture(page, testInfo, 'year-christmas-week');
  });

  test("the dashboard's expected sales follow a quantity set by hand on the prep list", async ({
    page,
  }) => {
    // The server's clock (today) picks the dashboard's days; the browser keeps the real clock.
    const marketId = await riversideId(page);
    await page.goto('/dashboard');
    const days = page.getByRole('list', { name: 'Next market days' });
    const links = days.locator(`a[href^="/prep-list/${marketId}/"]`);
    await expect(links.first()).toBeVisible();
    // The latest Riverside day in view: the one other specs are least likely to be using.
    const href = (await links.last().getAttribute('href')) ?? '';
    const date = href.split('/').at(-1) ?? '';
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const dayCard = days.locator('li.card', { has: page.locator(`a[href="${href}"]`) });
    const expectedSales = async () => {
      const text = (await dayCard.locator('p', { hasText: 'Expected sales:' }).textContent()) ?? '';
      return minorOf(text);
    };

    const session = await page.request.get('/v1/auth/session');
    const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
    expect(csrf).toBeTruthy();
    // The sourdough line of that day, so the override can be cleared whatever happens below.
    const apiList = await page.request.get(`/v1/markets/${marketId}/prep-lists/${date}`);
    expect(apiList.status()).toBe(200);
    const sourdoughId = (
      (await apiList.json()) as { lines: { productId: string; productName: string }[] }
    ).lines.find((line) => line.productName === SOURDOUGH)?.productId;
    expect(sourdoughId).toBeDefined();

    try {
      const before = await openList(page, marketId, date);
      const sourdough = cardOf(packedLines(page), SOURDOUGH);
      const sourdoughRevenue = minorOf(
        (await sourdough.locator('.pl-line__name .pl-muted').textContent()) ?? '',
      );
      // Noticeable: the sourdough is a staple.
      expect(sourdoughRevenue).toBeGreaterThan(5_000);

      await page.clock.setFixedTime(new Date());
      await page.goto('/dashboard');
      await expect.poll(expectedSales).toBe(before.totalRevenueMinor);

      await page.goto(href);
      await sourdough.getByRole('button', { name: `Adjust quantity of ${SOURDOUGH}` }).click();
      await sourdough.getByLabel(/^Bring instead/).fill('0');
      await sourdough.getByRole('button', { name: 'Save' }).click();
      await expect(sourdough.locator('.pl-qty__number')).toHaveText('0');
      const reduced = before.totalRevenueMinor - sourdoughRevenue;
      await expect(page.locator('.page-header__lede')).toContainText(
        `expected revenue ${dollars(reduced)}`,
      );

      await page.goto('/dashboard');
      await expect.poll(expectedSales).toBe(reduced);

      // Undone, the dashboard is back where it was.
      await page.goto(href);
      await sourdough.getByRole('button', { name: /^Undo: bring the recommended \d+/ }).click();
      await expect(page.locator('.page-header__lede')).toHaveText(
        new RegExp(`^${before.totalQuantity} items`),
      );
      await page.goto('/dashboard');
      await expect.poll(expectedSales).toBe(before.totalRevenueMinor);
    } finally {
      // Other specs read this day: never leave the override behind.
      const cleared = await page.request.patch(
        `/v1/markets/${marketId}/prep-lists/${date}/lines/${sourdoughId}`,
        { headers: { 'x-csrf-token': csrf }, data: { overrideQuantity: null } },
      );
      expect(cleared.status()).toBe(200);
    }
  });
});
