/**
 * Issue 14 item 11, at 375 x 812 (mobile) and 1280 x 800 (desktop): the words and numbers a vendor
 * reads. Temperatures in the unit of the market's country (°F for the US demo market) unless the
 * owner chose one; one date format for a market day ("Sat, Dec 5"), the ISO date only in URLs and
 * inputs; "$4.50 each", never "per each"; no "(6-pack) (pack)"; "Why N?" in plain words, summer
 * and December.
 */
import { expect, test, type Page } from '@playwright/test';

import { expectNoSeriousAxeViolations } from './market-day-helpers';

const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const DOUBLE_BRACKETS = /\(([^)]*)\) \(/;

/** Signs in as the demo owner; returns the CSRF token for API writes. */
async function signInAsDemoOwner(page: Page): Promise<string> {
  const response = await page.request.post('/v1/auth/login', {
    data: { email: 'demo@marketprep.local', password: 'marketprep-demo' },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/** Sets the business's temperature unit through the API (to start and end each test at auto). */
async function setTemperatureUnit(page: Page, csrf: string, unit: string): Promise<void> {
  const response = await page.request.patch('/v1/vendor/settings', {
    data: { temperatureUnit: unit },
    headers: { 'x-csrf-token': csrf },
  });
  expect(response.status(), await response.text()).toBe(200);
}

async function demoMarketId(page: Page, name: string): Promise<string> {
  const body = (await (await page.request.get('/v1/markets')).json()) as {
    data: { id: string; name: string }[];
  };
  const market = body.data.find((candidate) => candidate.name === name);
  expect(market, name).toBeDefined();
  return market!.id;
}

/**
 * Everything a vendor can read on the page: the text of the document (hidden text for screen
 * readers included, scripts and styles left out), the accessible names given by aria-label and the
 * tooltips. Not URLs, not input values.
 */
async function readableText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    body.querySelectorAll('script, style, template, noscript').forEach((node) => node.remove());
    const labels = [...document.querySelectorAll('[aria-label], [title]')].flatMap((element) => [
      element.getAttribute('aria-label') ?? '',
      element.getAttribute('title') ?? '',
    ]);
    return [body.textContent ?? '', ...labels].join('\n');
  });
}

/** No raw ISO date, no "per each", no unit in brackets twice. */
async function expectPlainWording(page: Page, screen: string): Promise<void> {
  const text = await readableText(page);
  expect(text.match(ISO_DATE)?.[0] ?? null, `${screen}: ISO date shown`).toBeNull();
  expect(text.includes('per each'), `${screen}: "per each"`).toBe(false);
  expect(text.match(DOUBLE_BRACKETS)?.[0] ?? null, `${screen}: unit in brackets twice`).toBeNull();
}

/** Every card of the prep list rendered (they come in batches after hydration). */
async function openFullPrepList(page: Page, marketId: string, date: string): Promise<number> {
  await page.goto(`/prep-list/${marketId}/${date}`);
  await expect(page.getByRole('heading', { level: 1, name: /^Prep list for / })).toBeVisible({
    timeout: 30_000,
  });
  const count = page.locator('.pl-count');
  await expect(count).toHaveText(/^Showing (\d+) of \1 products$/);
  const total = Number(/of (\d+)/.exec((await count.textContent()) ?? '')?.[1]);
  await expect(page.locator('.pl-lines').first().locator('.pl-line')).toHaveCount(total);
  return total;
}

/**
 * Opens "Why N?" of the first `count` products and checks each sentence: N is the quantity shown,
 * each effect once, none of 0%, quantities whole for counted units and pluralized after rounding.
 */
async function checkWhy(page: Page, count: number): Promise<string[]> {
  const cards = page.locator('.pl-lines').first().locator('.pl-line');
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) {
    const card = cards.nth(i);
    const quantity = (await card.locator('.pl-qty__number').textContent())?.trim() ?? '';
    const unit = (await card.locator('.pl-qty__unit').textContent())?.trim() ?? '';
    const why = card.locator('.pl-why');
    await expect(why.locator('summary')).toHaveText(`Why ${quantity}?`);
    await why.locator('summary').click();
    const sentence = (await why.locator('.pl-why__sentence').textContent())?.trim() ?? '';
    expect(sentence, `card ${i}`).toMatch(/^(Typical|Guess for a) [A-Z][a-z]+day: /);
    const labels = sentence.split(' · ').map((part) => part.split(':')[0]);
    expect(new Set(labels).size, sentence).toBe(labels.length);
    expect(sentence, sentence).not.toMatch(/: [+−]?0%/);
    // Counted things move by whole units ("+8 loaves", never "+8.4 loaf"); weighed ones may not.
    if (!/^(lb|lbs|oz|kg|g)$/.test(unit)) expect(sentence, sentence).not.toMatch(/[+−]\d+\.\d/);
    expect(sentence, sentence).not.toMatch(/[+−]1 (loaves|jars|packs|bunches)\b/);
    expect(sentence, sentence).not.toMatch(/[+−]([02-9]|\d{2,}) (loaf|jar|pack|bunch)\b/);
    // The smaller effects never list one of 0%.
    const minor = (await why.locator('.pl-why__minor').allTextContents()).join(' ');
    expect(minor, minor).not.toMatch(/(^|\s)[+−]?0%/);
    sentences.push(sentence);
  }
  return sentences;
}

test.describe('the words and numbers a vendor reads', () => {
  let csrf = '';
  test.beforeEach(async ({ page }, testInfo) => {
    if (testInfo.project.name === 'desktop')
      await page.setViewportSize({ width: 1280, height: 800 });
    csrf = await signInAsDemoOwner(page);
    await setTemperatureUnit(page, csrf, 'auto');
  });
  test.afterEach(async ({ page }) => {
    await setTemperatureUnit(page, csrf, 'auto');
  });

  test('a US market shows °F; the owner switches the business to °C and back', async ({
    page,
  }, testInfo) => {
    await page.goto('/dashboard');
    const days = page.getByRole('list', { name: 'Next market days' });
    const highs = days.locator('.card__meta', { hasText: /high / });
    await expect(highs.first()).toHaveText(/high −?\d+°F/, { timeout: 30_000 });
    const fahrenheit = Number(
      /high (−?\d+)°F/.exec((await highs.first().textContent()) ?? '')?.[1]?.replace('−', '-'),
    );
    await expect(days).not.toContainText('°C');
    // The freshness of what the next lists are made from: weather, and the local events.
    const freshness = page.getByRole('region', { name: 'Data freshness' });
    await expect(
      freshness.locator('.facts__row', { hasText: 'Local events' }).getByRole('definition'),
    ).toHaveText(/^looked up (just now|\d+ (min|h|days) ago)$/, { timeout: 30_000 });
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({
      path: testInfo.outputPath('dashboard-fahrenheit.png'),
      fullPage: false,
    });

    await page.goto('/insights');
    const upcoming = page.getByRole('list', { name: 'Upcoming market days' });
    await expect(upcoming.locator('.gng__weather dd').first()).toContainText(/−?\d+°F/, {
      timeout: 30_000,
    });
    await expect(upcoming).not.toContainText('°C');

    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 2, name: 'Weather' })).toBeVisible({
      timeout: 30_000,
    });
    const celsius = page.getByRole('radio', { name: /°C \(Celsius\)/ });
    await expect(page.getByRole('radio', { name: /Automatic, by market country/ })).toBeChecked();
    await celsius.check();
    await page.getByRole('button', { name: 'Save temperature unit' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveText(
      'Saved. Weather shows in °C at every market.',
    );
    await expect(celsius).toBeChecked();
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: testInfo.outputPath('settings-celsius.png'), fullPage: true });
    const stored = (await (await page.request.get('/v1/vendor/settings')).json()) as {
      temperatureUnit: string;
    };
    expect(stored.temperatureUnit).toBe('celsius');

    await page.goto('/dashboard');
    await expect(highs.first()).toHaveText(/high −?\d+°C/, { timeout: 30_000 });
    await expect(days).not.toContainText('°F');
    // The same forecast in the other unit (each rounded to whole degrees).
    const inCelsius = Number(
      /high (−?\d+)°C/.exec((await highs.first().textContent()) ?? '')?.[1]?.replace('−', '-'),
    );
    expect(Math.abs(inCelsius * 1.8 + 32 - fahrenheit)).toBeLessThanOrEqual(1.5);
    await page.screenshot({ path: testInfo.outputPath('dashboard-celsius.png'), fullPage: false });

    await page.goto('/insights');
    await expect(upcoming.locator('.gng__weather dd').first()).toContainText(/−?\d+°C/, {
      timeout: 30_000,
    });
    await expect(upcoming).not.toContainText('°F');

    // Back to automatic: the US market reads °F again.
    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 2, name: 'Weather' })).toBeVisible({
      timeout: 30_000,
    });
    await page.getByRole('radio', { name: /Automatic, by market country/ }).check();
    await page.getByRole('button', { name: 'Save temperature unit' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveText(
      'Saved. Each market’s weather shows in the unit of its country.',
    );
    await page.goto('/dashboard');
    await expect(highs.first()).toHaveText(/high −?\d+°F/, { timeout: 30_000 });
  });

  test('in December: one date format, "$4.50 each", no unit twice, Why in plain words', async ({
    page,
  }, testInfo) => {
    await page.clock.setFixedTime(new Date('2026-12-05T16:00:00Z'));
    const riverside = await demoMarketId(page, 'Riverside Saturday Market');

    await page.goto('/dashboard');
    await expect(page.getByRole('list', { name: 'Next market days' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(
      page.getByRole('link', { name: /Open prep list for .+ on [A-Z][a-z]{2}, / }).first(),
    ).toBeAttached();
    await expectPlainWording(page, 'dashboard');

    await page.goto('/products');
    const sourdough = page.locator('.product-card', {
      has: page.getByRole('heading', { name: 'Country Sourdough' }),
    });
    await expect(sourdough.locator('.card__meta').first()).toHaveText(
      /^\$9\.00 per loaf · cost \$3\.20 · leftover \$2\.70 · keeps 3 days$/,
    );
    const baguette = page.locator('.product-card', {
      has: page.getByRole('heading', { name: 'Baguette' }),
    });
    await expect(baguette.locator('.card__meta').first()).toHaveText(/^\$4\.50 each · cost /);
    await expect(
      page.getByRole('heading', { name: 'Chocolate Chip Cookies (6-pack)', exact: true }),
    ).toBeVisible();
    await expectPlainWording(page, 'products');
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: testInfo.outputPath('products.png'), fullPage: false });

    // Today's list, and one for after Christmas week: December effects in plain words.
    for (const date of ['2026-12-05', '2026-12-19']) {
      const total = await openFullPrepList(page, riverside, date);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(
        date === '2026-12-05' ? 'Prep list for Sat, Dec 5' : 'Prep list for Sat, Dec 19',
      );
      await checkWhy(page, Math.min(total, 8));
      await expectPlainWording(page, `prep list ${date}`);
    }
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: testInfo.outputPath('prep-list-december.png'), fullPage: false });

    // A market day of next year says its year; the URL keeps the ISO date.
    await openFullPrepList(page, riverside, '2027-01-02');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Prep list for Sat, Jan 2, 2027',
    );
    await expectPlainWording(page, 'prep list 2027-01-02');

    await page.goto(`/check-in/${riverside}/2026-11-28`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Pack-up check-in, Sat, Nov 28',
    );
    const sourdoughLine = page.locator('.ci-line', {
      has: page.getByRole('heading', { name: 'Country Sourdough' }),
    });
    await expect(sourdoughLine.locator('.ci-line__head p')).toHaveText(
      /^Brought( \d+ loaves|: not recorded \(sold \+ left over = \d+ loaves\))/,
    );
    await expectPlainWording(page, 'check-in');
    await expectNoSeriousAxeViolations(page);
  });

  test('in summer: Why N? in plain words, and dates without a year', async ({ page }, testInfo) => {
    await page.clock.setFixedTime(new Date('2026-07-15T17:00:00Z'));
    const riverside = await demoMarketId(page, 'Riverside Saturday Market');
    const total = await openFullPrepList(page, riverside, '2026-07-18');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prep list for Sat, Jul 18');
    const sentences = await checkWhy(page, Math.min(total, 10));
    expect(sentences.length).toBeGreaterThan(3);
    await expectPlainWording(page, 'prep list in July');
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: testInfo.outputPath('prep-list-july.png'), fullPage: false });

    await page.goto(`/check-in/${riverside}/2026-07-11`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Pack-up check-in, Sat, Jul 11',
    );
    await expectPlainWording(page, 'check-in in July');
  });
});
