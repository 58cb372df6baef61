import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

import { expectAccessible, signUpThroughForm } from './account-helpers';
import { addDays, marketToday, saveScreenshot, weekdayOf } from './market-day-helpers';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** `"Sat, Dec 5"`, as the app writes a market day of this year. */
function shortDate(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const text = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(day);
  return y === Number(marketToday().slice(0, 4)) ? text : `${text}, ${y}`;
}

const WED = 2;
const SAT = 5;
const PRODUCTS: [string, string][] = [
  ['Sourdough loaf', '9.00'],
  ['Cinnamon roll', '4.50'],
  ['Rye bread', '7.00'],
  ['Baguette', '4.00'],
  ['Croissant', '3.50'],
  ['Scone', '3.00'],
  ['Focaccia', '6.00'],
  ['Pretzel', '2.50'],
  ['Brownie', '3.25'],
];
/** Transactions per product and market day: rows the import adds up into one daily total. */
const LINES_PER_DAY = 6;

/**
 * Ten weeks of sales up to yesterday (market time): Maple Street Market on Wednesdays and
 * Saturdays (nine products) with two one-off days, Cedar Lane Market once a week on the day after
 * Maple's next market day, so Cedar (first by name) has the later next market day.
 */
function salesFile() {
  const today = marketToday();
  let mapleNext = today;
  while (![WED, SAT].includes(weekdayOf(mapleNext))) mapleNext = addDays(mapleNext, 1);
  const cedarWeekday = weekdayOf(addDays(mapleNext, 1));
  const rows = ['date,market,product,quantity,unit_price'];
  const add = (date: string, market: string, products: [string, string][]) => {
    for (const [product, price] of products) {
      for (let line = 0; line < LINES_PER_DAY; line += 1) {
        rows.push(`${date},${market},${product},${1 + ((line * 7 + product.length) % 4)},${price}`);
      }
    }
  };
  // Two one-off pop-up days on a weekday that is no market's (about 6 and 3 weeks ago).
  const strayDates = [40, 20].map((back) => {
    let date = addDays(today, -back);
    while ([WED, SAT, cedarWeekday].includes(weekdayOf(date))) date = addDays(date, 1);
    return date;
  });
  let mapleDays = 0;
  let cedarDays = 0;
  for (let back = 70; back >= 1; back -= 1) {
    const date = addDays(today, -back);
    const weekday = weekdayOf(date);
    if (weekday === WED || weekday === SAT) {
      add(date, 'Maple Street Market', PRODUCTS);
      mapleDays += 1;
    } else if (weekday === cedarWeekday) {
      add(date, 'Cedar Lane Market', PRODUCTS.slice(0, 2));
      cedarDays += 1;
    } else if (strayDates.includes(date)) {
      add(date, 'Maple Street Market', PRODUCTS);
    }
  }
  return {
    csv: `${rows.join('\n')}\n`,
    rows: rows.length - 1,
    totals: (mapleDays + strayDates.length) * PRODUCTS.length + cedarDays * 2,
    mapleDays,
    strays: strayDates.length,
    mapleNext,
    cedarWeekday,
  };
}

async function marketsOf(page: Page) {
  const response = await page.request.get('/v1/markets');
  expect(response.status()).toBe(200);
  const body = (await response.json()) as {
    data: {
      name: string;
      latitude: number;
      longitude: number;
      timezone: string;
      regionCode: string | null;
      nextMarketDate: string | null;
      schedule: { weekday: number }[];
    }[];
  };
  return body.data;
}

test.describe('sign up and onboarding', () => {
  test('signs up, imports a CSV, confirms the suggested market days and locations, saves all economics at once and opens the soonest prep list', async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    // The two sizes: 375 x 812 (mobile project) and 1280 x 800 (desktop).
    if (testInfo.project.name === 'desktop')
      await page.setViewportSize({ width: 1280, height: 800 });
    const file = salesFile();

    await page.goto('/signup');
    await expectAccessible(page, 'signup');
    // The form says what to fix before anything is sent.
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Use at least 10 characters')).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');

    await signUpThroughForm(page);
    await expect(page.getByRole('list', { name: 'Setup progress' })).toBeVisible();
    await expectAccessible(page, 'onboarding: sales');
    await saveScreenshot(page, testInfo.project.name, 'onboarding');

    // A file with broken rows: the preview lists them by line; the button says what to do, with
    // no row count it cannot import.
    const upload = page.getByLabel('Sales file (CSV)');
    await upload.setInputFiles(path.join(FIXTURES, 'bad-sales.csv'));
    const problems = page.getByRole('table', { name: 'Rows with problems' });
    await expect(problems).toBeVisible();
    await expect(problems.getByRole('row')).toHaveCount(3); // header + 2 broken rows
    await expect(problems.getByRole('cell', { name: '3', exact: true })).toBeVisible();
    const fix = page.getByRole('button', { name: 'Fix the 2 rows above to import' });
    await expect(fix).toBeDisabled();
    await expect(page.getByRole('button', { name: /^Import/ })).toHaveCount(0);
    await expectAccessible(page, 'onboarding: preview with errors');

    // The good file: the count (with a thousands separator) only on the button that can run.
    await upload.setInputFiles({
      name: 'bakery-sales.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(file.csv),
    });
    const rowsText = file.rows.toLocaleString('en-US');
    expect(file.rows).toBeGreaterThan(1000);
    await expect(
      page.getByText(`bakery-sales.csv: ${rowsText} of ${rowsText} rows ready`),
    ).toBeVisible();
    await expect(page.getByText('new: Cedar Lane Market, Maple Street Market')).toBeVisible();
    await page.getByRole('button', { name: `Import ${rowsText} rows` }).click();
    // What was read and what was stored, both said.
    await expect(
      page.getByText(
        `Read ${rowsText} rows; stored ${file.totals} daily sales totals, one per product, market and day (rows for the same product, market and day are added up). Added 2 new markets and 9 new products.`,
      ),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Next: confirm your markets' }).click();

    // Markets: no location yet; each market's days come prefilled from its sales.
    await expect(page.getByRole('heading', { name: 'Confirm your markets' })).toBeVisible();
    await expect(page.getByText('Location missing')).toHaveCount(2);
    await expect(page.getByRole('button', { name: 'Next: product economics' })).toBeDisabled();
    const maple = page.getByRole('form', { name: 'Market Maple Street Market' });
    const mapleCard = page.getByRole('listitem').filter({ has: maple });
    await expect(
      mapleCard.getByText(
        `Your sales suggest Wednesdays and Saturdays 8:00 AM–1:00 PM. ${file.mapleDays} of your ${file.mapleDays + file.strays} sale days in the last year were on those days; ${file.strays} one-off days are left out. The hours are a guess: check them, then save.`,
      ),
    ).toBeVisible();
    await expect(maple.getByLabel('Day')).toHaveCount(2);
    await expect(maple.getByLabel('Day').nth(0)).toHaveValue(String(WED));
    await expect(maple.getByLabel('Day').nth(1)).toHaveValue(String(SAT));
    await expectAccessible(page, 'onboarding: markets');
    await mapleCard.getByText(/^Your sales suggest/).scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('markets.png') });

    // Saving without a location says what is missing.
    await maple.getByLabel('Time zone').fill('Mars/Olympus');
    await maple.getByRole('button', { name: 'Save Maple Street Market' }).click();
    await expect(maple.getByText('Enter the latitude, e.g. 41.9136')).toBeVisible();
    await expect(maple.getByText('Use a time zone name such as America/Chicago')).toBeVisible();
    // Too short for a lookup: said under the field, nothing asked.
    const mapleLookup = maple.getByLabel('Find by ZIP code or town');
    await mapleLookup.fill('6');
    await maple.getByRole('button', { name: 'Look up' }).click();
    await expect(
      maple.getByText('Type a ZIP code or a town, e.g. 60614 or Evanston, IL'),
    ).toBeVisible();
    // A ZIP code fills latitude, longitude, time zone and state (Enter looks up, it does not save).
    await mapleLookup.fill('60614');
    await mapleLookup.press('Enter');
    await expect(maple.getByLabel('Latitude')).toHaveValue('41.9229');
    await expect(maple.getByLabel('Longitude')).toHaveValue('-87.6483');
    await expect(maple.getByLabel('Time zone')).toHaveValue('America/Chicago');
    await expect(maple.getByLabel('State or region (optional)')).toHaveValue('IL');
    await expect(
      maple.getByText(/^Filled in Chicago, IL 60614: 41\.9229, -87\.6483/),
    ).toBeVisible();
    await expect(maple.getByText('Enter the latitude, e.g. 41.9136')).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('lookup.png') });
    await maple.getByRole('button', { name: 'Save Maple Street Market' }).click();
    await expect(maple.getByText('Market saved.')).toBeVisible();

    // A town name with several matches: pick one; then a hand-typed latitude still wins.
    const cedar = page.getByRole('form', { name: 'Market Cedar Lane Market' });
    await expect(cedar.getByLabel('Day')).toHaveValue(String(file.cedarWeekday));
    await cedar.getByLabel('Find by ZIP code or town').fill('Evanston');
    await cedar.getByRole('button', { name: 'Look up' }).click();
    const places = cedar.getByRole('group', { name: 'Places found' });
    await expect(places.getByRole('button', { name: 'Evanston, WY' })).toBeVisible();
    await places.getByRole('button', { name: 'Evanston, IL' }).click();
    await expect(cedar.getByLabel('Time zone')).toHaveValue('America/Chicago');
    await cedar.getByLabel('Latitude').fill('42.0450');
    await cedar.getByRole('button', { name: 'Save Cedar Lane Market' }).click();
    await expect(cedar.getByText('Market saved.')).toBeVisible();
    await expect(page.getByText('Ready', { exact: true })).toHaveCount(2);
    await expectAccessible(page, 'onboarding: markets saved');

    // Stored through the markets API: the confirmed schedule and the location.
    const saved = await marketsOf(page);
    const savedMaple = saved.find((m) => m.name === 'Maple Street Market');
    const savedCedar = saved.find((m) => m.name === 'Cedar Lane Market');
    expect(savedMaple?.schedule.map((s) => s.weekday)).toEqual([WED, SAT]);
    expect(savedMaple).toMatchObject({
      latitude: 41.9229,
      longitude: -87.6483,
      timezone: 'America/Chicago',
      regionCode: 'IL',
    });
    expect(savedCedar?.schedule.map((s) => s.weekday)).toEqual([file.cedarWeekday]);
    expect(savedCedar?.latitude).toBe(42.045);
    expect(savedCedar?.timezone).toBe('America/Chicago');
    await page.getByRole('button', { name: 'Next: product economics' }).click();

    // Economics: nine products, one Save for all of them.
    await expect(page.getByRole('heading', { name: 'Check your product economics' })).toBeVisible();
    await expect(page.getByText('Why do price, cost and leftover value matter?')).toBeVisible();
    const economics = page.getByRole('form', { name: 'Product economics' });
    await expect(economics.getByRole('group')).toHaveCount(PRODUCTS.length);
    await expect(page.getByRole('button', { name: /^Save/ })).toHaveCount(1);
    const save = page.getByRole('button', { name: 'Save and continue' });
    const sourdough = page.getByRole('group', { name: 'Sourdough loaf' });
    const rolls = page.getByRole('group', { name: 'Cinnamon roll' });
    await expect(sourdough.getByLabel('Price ($)')).toHaveValue('9.00');
    await rolls.getByLabel('Unit cost ($)').fill('1.00');
    await sourdough.getByLabel('Leftover value ($)').fill('12');
    await save.click();
    // One row needs a fix: it says so, and nothing is saved (the rolls' cost neither).
    await expect(sourdough.getByText('Must be below the price', { exact: true })).toBeVisible();
    await expect(page.getByText('1 product needs a fix before anything is saved:')).toBeVisible();
    const before = (await (await page.request.get('/v1/products?q=Cinnamon')).json()) as {
      data: { unitCostMinor: number }[];
    };
    expect(before.data[0]?.unitCostMinor).toBe(0);
    await sourdough.getByLabel('Unit cost ($)').fill('2.50');
    await sourdough.getByLabel('Leftover value ($)').fill('1.00');
    await expect(sourdough.getByText(/cover about 81% of likely demand/)).toBeVisible();
    await expectAccessible(page, 'onboarding: products');
    await sourdough.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('products.png') });
    await save.click();

    // Done: the link goes to the soonest market day (Maple's), not Cedar's later one.
    await expect(page.getByRole('heading', { name: 'You are set up' })).toBeVisible();
    const products = (await (await page.request.get('/v1/products?limit=50')).json()) as {
      data: {
        name: string;
        unitCostMinor: number;
        salvageValueMinor: number;
        priceMinor: number;
      }[];
    };
    expect(products.data.find((p) => p.name === 'Sourdough loaf')).toMatchObject({
      priceMinor: 900,
      unitCostMinor: 250,
      salvageValueMinor: 100,
    });
    expect(products.data.find((p) => p.name === 'Cinnamon roll')?.unitCostMinor).toBe(100);
    const next = await marketsOf(page);
    const mapleNext = next.find((m) => m.name === 'Maple Street Market')?.nextMarketDate;
    const cedarNext = next.find((m) => m.name === 'Cedar Lane Market')?.nextMarketDate;
    expect(mapleNext).toBe(file.mapleNext);
    expect((cedarNext ?? '') > (mapleNext ?? '9999')).toBe(true);
    const open = page.getByRole('link', {
      name: `Open the prep list for Maple Street Market, ${shortDate(file.mapleNext)}`,
    });
    await expect(open).toBeVisible();
    await expect(open).toHaveAttribute('href', new RegExp(`${file.mapleNext}`));
    await expectAccessible(page, 'onboarding: done');
    await page.screenshot({ path: testInfo.outputPath('done.png') });

    // The products and markets screens show the same data.
    await page.goto('/products');
    await expect(page.getByRole('heading', { name: 'Sourdough loaf' })).toBeVisible();
    await expect(
      page.getByText(/\$9\.00 (per )?each · cost \$2\.50 · leftover \$1\.00/),
    ).toBeVisible();
    await expectAccessible(page, 'products');
    await page.goto('/markets');
    await expect(page.getByRole('heading', { name: 'Maple Street Market' })).toBeVisible();
    await expectAccessible(page, 'markets');

    await page.goto('/dashboard');
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Next market days' })).toBeVisible();
    await expect(page.getByText(/last import (just now|\d+ min ago)/)).toBeVisible();
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    await expectAccessible(page, 'dashboard');
    await saveScreenshot(page, testInfo.project.name, 'dashboard');
  });

  test('a farm out of season: told when its next season starts, whose list leaves out its autumn crop', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signUpThroughForm(page, { business: 'Oak Hollow Farm' });
    // Two past seasons of six months that leave out today's month: Saturdays from the 15th of
    // the first month (the market opens mid-month), salad greens every day, pumpkins in the last
    // six weeks only, so they sell until the last day and nothing "stopped" them.
    const today = marketToday();
    const month = Number(today.slice(5, 7));
    const firstMonth = ((month + 4) % 12) + 1;
    const rows = ['date,market,product,quantity,unit_price'];
    const seasons: { from: string; to: string }[] = [];
    for (let year = Number(today.slice(0, 4)) - 3; year <= Number(today.slice(0, 4)); year += 1) {
      const from = `${year}-${String(firstMonth).padStart(2, '0')}-15`;
      const end = addDays(
        `${firstMonth > 7 ? year + 1 : year}-${String(((firstMonth + 5) % 12) + 1).padStart(2, '0')}-01`,
        -1,
      );
      if (end < today) seasons.push({ from, to: end });
    }
    for (const { from, to } of seasons.slice(-2)) {
      for (let date = from; date <= to; date = addDays(date, 1)) {
        if (weekdayOf(date) !== SAT) continue;
        rows.push(
          `${date},Oak Park Farmers Market,Salad Mix,${28 + (Number(date.slice(8)) % 5)},5.00`,
        );
        if (addDays(date, 42) > to) rows.push(`${date},Oak Park Farmers Market,Pumpkins,25,7.00`);
      }
    }
    await page.getByLabel('Sales file (CSV)').setInputFiles({
      name: 'farm.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${rows.join('\n')}\n`),
    });
    await page.getByRole('button', { name: /^Import \d+ rows$/ }).click();
    await page.getByRole('button', { name: 'Next: confirm your markets' }).click();
    const market = page.getByRole('form', { name: 'Market Oak Park Farmers Market' });
    await market.getByLabel('Find by ZIP code or town').fill('60302');
    await market.getByRole('button', { name: 'Look up' }).click();
    await expect(market.getByLabel('Time zone')).toHaveValue('America/Chicago');
    await market.getByRole('button', { name: 'Save Oak Park Farmers Market' }).click();
    await expect(market.getByText('Market saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Next: product economics' }).click();
    await page.getByRole('button', { name: 'Save and continue' }).click();

    // The first market day of next season: the first Saturday of its first month.
    let first = `${Number(today.slice(0, 4)) + (firstMonth < month ? 1 : 0)}-${String(firstMonth).padStart(2, '0')}-01`;
    while (weekdayOf(first) !== SAT) first = addDays(first, 1);
    await expect(page.getByRole('heading', { name: 'You are set up' })).toBeVisible();
    await expect(
      page.getByText(
        `Your markets are out of season now: the first market day is ${shortDate(first)}`,
      ),
    ).toBeVisible();
    await page
      .getByRole('link', {
        name: `Open the prep list for Oak Park Farmers Market, ${shortDate(first)}`,
      })
      .click();
    // Two weeks before the weeks it ever traded in: salad greens (sold from its first day) are
    // brought, pumpkins (never in its first weeks) are not, though they sold until its last day.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      `Prep list for ${shortDate(first)}`,
      { timeout: 60_000 },
    );
    const products = page.locator('ul.pl-lines').first();
    await expect(products.getByRole('heading', { name: 'Salad Mix' })).toBeVisible();
    await expect(products.getByRole('heading', { name: 'Pumpkins' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Show out-of-season \(1\)/ })).toBeVisible();

    // The dashboard says the same, with no market day in the next two weeks.
    await page.goto('/dashboard');
    await expect(
      page.getByText(`The next market day is ${shortDate(first)} at Oak Park Farmers Market.`),
    ).toBeVisible({ timeout: 30_000 });
  });

  test('a sales file without prices: said at the import, asked for at the products step, and a list that says so when skipped', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signUpThroughForm(page, { business: 'Oak Park Farm Stand' });
    // Eight Saturdays of a farm stand's quantities, no unit_price column.
    const today = marketToday();
    const rows = ['date,market,product,quantity'];
    for (let back = 1; back <= 56; back += 1) {
      const date = addDays(today, -back);
      if (weekdayOf(date) !== SAT) continue;
      rows.push(`${date},Oak Park Market,Eggs (dozen),${18 + (back % 5)}`);
      rows.push(`${date},Oak Park Market,Honey (jar),${4 + (back % 3)}`);
    }
    await page.getByLabel('Sales file (CSV)').setInputFiles({
      name: 'farm.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${rows.join('\n')}\n`),
    });
    // Not "$0.00": the file had no prices.
    await expect(page.getByText(/units, no prices in the file/)).toBeVisible();
    await page.getByRole('button', { name: /^Import \d+ rows$/ }).click();
    await page.getByRole('button', { name: 'Next: confirm your markets' }).click();
    const market = page.getByRole('form', { name: 'Market Oak Park Market' });
    await market.getByLabel('Find by ZIP code or town').fill('60302');
    await market.getByRole('button', { name: 'Look up' }).click();
    await expect(market.getByLabel('Time zone')).toHaveValue('America/Chicago');
    await market.getByRole('button', { name: 'Save Oak Park Market' }).click();
    await expect(market.getByText('Market saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Next: product economics' }).click();

    // The step says the prices are missing (it used to say it filled them in), and a save asks
    // for the price itself, not "leftover value must be below the price".
    await expect(page.getByText(/Your sales came without prices/)).toBeVisible();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    const eggs = page.getByRole('group', { name: 'Eggs (dozen)' });
    await expect(eggs.getByText('Enter the price you sell it for')).toBeVisible();
    await expect(eggs.getByText('Must be below the price', { exact: true })).toHaveCount(0);
    await expectAccessible(page, 'onboarding: products without prices');

    // Prices can wait: the list is made anyway and says what its revenue lacks.
    await page.getByRole('button', { name: 'Skip: I will add prices later' }).click();
    await expect(page.getByRole('heading', { name: 'You are set up' })).toBeVisible();
    await page.getByRole('link', { name: /^Open the prep list for Oak Park Market/ }).click();
    await expect(
      page.getByText(/to bring · no prices yet: add them under Products for expected revenue/),
    ).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText(/expect to sell [\d.]+\u00a0· no price yet/).first()).toBeVisible();
    await expect(page.getByText('$0.00')).toHaveCount(0);
    // No cost entered either: not packed as if a leftover cost nothing (95 of 100 days) but like
    // the products with a cost (none here: half the days), and the line says so.
    await page
      .getByText(/^Why \d+\?$/)
      .first()
      .click();
    await expect(
      page
        .getByText(/^No unit cost set yet: bringing \d+ covers demand on 50 of 100 similar days/)
        .first(),
    ).toBeVisible();
    await page.getByRole('link', { name: 'Set its cost' }).first().click();
    await expect(page).toHaveURL(/\/products$/);
    await expect(page.getByText(/· no cost set ·/).first()).toBeVisible();

    // No revenue to weigh against the booth fee: no "Skip" (it said so for every market day).
    await page.goto('/dashboard');
    const days = page.getByRole('list', { name: 'Next market days' });
    await expect(days.getByText(/no prices yet/).first()).toBeVisible({ timeout: 30_000 });
    await expect(days.getByText(/^(Below booth fee|Marginal|Worth going)$/)).toHaveCount(0);

    // The week's plan neither: quantities, and no "expected sales $0.00" or "takings ±$0.00".
    await page.goto('/week');
    await expect(page.getByText(/no prices yet for expected sales/)).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByText(/\$0\.00/)).toHaveCount(0);

    // Insights charts the units sold, not a revenue of zeros.
    await page.goto('/insights');
    await expect(page.getByText('Your sales have no prices yet: units sold instead.')).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByRole('img', { name: /^Units sold per market day/ })).toBeVisible();
  });

  // Connecting Square (against the fake `npm start` runs in demo mode) is in square.spec.ts.
});
