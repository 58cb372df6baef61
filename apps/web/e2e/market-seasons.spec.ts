/**
 * Markets keep their seasons (issue 13): editing a market's booth fee in the web app keeps every
 * schedule entry's season, the card summarizes the seasons, and an off-season market says when its
 * season starts (judged by the browser's clock, in the market's zone).
 *
 * The demo vendor (packages/db/src/seed/demo-data.ts): Riverside Saturday Market runs all year in
 * two seasons (7:30-12:30 May-Oct, 9:00-13:00 Nov-Apr), Maplewood Sunday Market Apr 1 - Nov 30,
 * Lakeview Wednesday Evening Market May 1 - Oct 31.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

import {
  addDays,
  expectNoSeriousAxeViolations,
  marketToday,
  weekdayOf,
} from './market-day-helpers';

const RIVERSIDE = 'Riverside Saturday Market';
const RIVERSIDE_SUMMARY = 'Saturdays 7:30 AM–12:30 PM (May–Oct), 9:00 AM–1:00 PM (Nov–Apr)';

/** Signs the page's context in as the demo vendor; returns the CSRF token for API writes. */
async function signInAsDemo(page: Page): Promise<string> {
  const response = await page.request.post('/v1/auth/login', {
    data: { email: 'demo@marketprep.local', password: 'marketprep-demo' },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

function card(page: Page, name: string): Locator {
  return page.getByRole('article', { name });
}

/** Opens the owner's edit form under a market's card. */
async function openEditForm(page: Page, name: string): Promise<Locator> {
  const form = page.getByRole('form', { name: `Market ${name}` });
  if (!(await form.isVisible())) {
    await card(page, name).locator('summary', { hasText: 'Edit' }).click();
  }
  await expect(form).toBeVisible();
  return form;
}

async function screenshotViewport(page: Page, projectName: string, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}-${projectName}.png`) });
}

interface ApiMarket {
  id: string;
  name: string;
  boothFeeMinor: number;
  schedule: {
    weekday: number;
    opensAt: string;
    seasonFrom?: string | null;
    seasonTo?: string | null;
  }[];
}

async function demoMarket(page: Page, name: string): Promise<ApiMarket> {
  const response = await page.request.get('/v1/markets');
  expect(response.status()).toBe(200);
  const market = ((await response.json()) as { data: ApiMarket[] }).data.find(
    (m) => m.name === name,
  );
  expect(market, name).toBeDefined();
  return market!;
}

test.describe('markets keep their seasons', () => {
  test('a booth-fee edit keeps every season; the card and the form show them after a reload', async ({
    page,
  }, testInfo) => {
    const csrf = await signInAsDemo(page);
    const before = await demoMarket(page, RIVERSIDE);
    expect(before.schedule.map((s) => [s.opensAt, s.seasonFrom, s.seasonTo])).toEqual([
      ['07:30', '05-01', '10-31'],
      ['09:00', '11-01', '04-30'],
    ]);

    try {
      await page.goto('/markets');
      await expect(page.getByRole('heading', { level: 1, name: 'Markets' })).toBeVisible();
      const riverside = card(page, RIVERSIDE);
      await expect(riverside).toContainText(RIVERSIDE_SUMMARY);

      const form = await openEditForm(page, RIVERSIDE);
      await expect(form.getByLabel('Season from')).toHaveCount(2);
      await expect(form.getByLabel('Season from').nth(0)).toHaveValue('May 1');
      await expect(form.getByLabel('Season to').nth(0)).toHaveValue('Oct 31');
      await expect(form.getByLabel('Season from').nth(1)).toHaveValue('Nov 1');
      await expect(form.getByLabel('Season to').nth(1)).toHaveValue('Apr 30');
      await expect(form).toContainText(RIVERSIDE_SUMMARY);

      await form.getByLabel('Booth fee ($)').fill('92.50');
      const save = form.getByRole('button', { name: `Save ${RIVERSIDE}` });
      await save.scrollIntoViewIfNeeded();
      await expect(save).toBeInViewport();
      // Usable on a phone: nothing (the bottom bar) lies over the button where it is tapped.
      const box = await save.boundingBox();
      expect(box).not.toBeNull();
      const onTop = await page.evaluate(
        ({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.textContent ?? null,
        { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 },
      );
      expect(onTop).toBe(`Save ${RIVERSIDE}`);
      await screenshotViewport(page, testInfo.project.name, 'market-edit-save');
      await save.click();
      await expect(form.getByRole('status')).toContainText('Market saved');

      await page.reload();
      await expect(card(page, RIVERSIDE)).toContainText('$92.50');
      await expect(card(page, RIVERSIDE)).toContainText(RIVERSIDE_SUMMARY);
      const reloaded = await openEditForm(page, RIVERSIDE);
      await expect(reloaded.getByLabel('Booth fee ($)')).toHaveValue('92.50');
      await expect(reloaded.getByLabel('Season from').nth(0)).toHaveValue('May 1');
      await expect(reloaded.getByLabel('Season to').nth(0)).toHaveValue('Oct 31');
      await expect(reloaded.getByLabel('Season from').nth(1)).toHaveValue('Nov 1');
      await expect(reloaded.getByLabel('Season to').nth(1)).toHaveValue('Apr 30');
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({
        path: testInfo.outputPath(`market-edit-${testInfo.project.name}.png`),
        fullPage: true,
      });

      const after = await demoMarket(page, RIVERSIDE);
      expect(after.boothFeeMinor).toBe(9250);
      expect(after.schedule).toEqual(before.schedule);
    } finally {
      // The demo is shared by the other specs of this run: put its fee back.
      const restored = await page.request.patch(`/v1/markets/${before.id}`, {
        headers: { 'x-csrf-token': csrf },
        data: { boothFeeMinor: before.boothFeeMinor },
      });
      expect(restored.status()).toBe(200);
    }
  });

  test('a new market starts from the size the owner gives: "About half of Riverside"', async ({
    page,
  }, testInfo) => {
    const csrf = await signInAsDemo(page);
    const riverside = await demoMarket(page, RIVERSIDE);
    const name = `Uptown ${testInfo.project.name} ${Date.now().toString(36)}`;
    let createdId: string | undefined;
    try {
      await page.goto('/markets');
      const form = page.getByRole('form', { name: 'New market' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Latitude').fill('41.95');
      await form.getByLabel('Longitude').fill('-87.67');
      await form.getByLabel('Time zone').fill('America/Chicago');
      const size = form.getByRole('group', { name: 'How big is this market?' });
      await expect(size).toContainText('Used until this market has its own sales');
      await expect(size.getByLabel('Size')).toHaveValue('');
      await expect(size.getByLabel('Compared with')).toBeDisabled();
      await size.getByLabel('Size').selectOption({ label: 'About half of' });
      await size.getByLabel('Compared with').selectOption({ label: RIVERSIDE });
      await size.scrollIntoViewIfNeeded();
      await screenshotViewport(page, testInfo.project.name, 'market-size-new');

      const add = form.getByRole('button', { name: 'Add market' });
      await add.scrollIntoViewIfNeeded();
      await expect(add).toBeInViewport();
      // On a phone the bottom bar does not cover the button where it is tapped.
      const box = await add.boundingBox();
      const onTop = await page.evaluate(
        ({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.textContent ?? null,
        { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 },
      );
      expect(onTop).toBe('Add market');
      await add.click();
      await expect(form.getByRole('status')).toContainText('Market saved');

      const created = (await demoMarket(page, name)) as ApiMarket & {
        expectedSize: { referenceMarketId: string; scale: number } | null;
      };
      createdId = created.id;
      expect(created.expectedSize).toEqual({ referenceMarketId: riverside.id, scale: 0.5 });
      await expect(card(page, name)).toContainText(`About half of ${RIVERSIDE}`);
      await card(page, name).scrollIntoViewIfNeeded();
      await screenshotViewport(page, testInfo.project.name, 'market-size-card');

      // A booth-fee edit after a reload keeps the size; the form shows it as saved.
      await page.reload();
      const edit = await openEditForm(page, name);
      const editSize = edit.getByRole('group', { name: 'How big is this market?' });
      await expect(editSize.getByLabel('Size')).toHaveValue('0.5');
      await expect(editSize.getByLabel('Compared with')).toHaveValue(riverside.id);
      // Never compared with itself.
      await expect(
        editSize.getByLabel('Compared with').locator(`option[value="${created.id}"]`),
      ).toHaveCount(0);
      await edit.getByLabel('Booth fee ($)').fill('40.00');
      await editSize.scrollIntoViewIfNeeded();
      await screenshotViewport(page, testInfo.project.name, 'market-size-edit');
      await edit.getByRole('button', { name: `Save ${name}` }).click();
      await expect(edit.getByRole('status')).toContainText('Market saved');
      const after = (await demoMarket(page, name)) as typeof created;
      expect(after.boothFeeMinor).toBe(4000);
      expect(after.expectedSize).toEqual({ referenceMarketId: riverside.id, scale: 0.5 });
      await expectNoSeriousAxeViolations(page);

      // Its first prep list says at the top that it is a guess from Riverside.
      const date = (
        (await (await page.request.get(`/v1/markets/${created.id}`)).json()) as {
          nextMarketDate: string | null;
        }
      ).nextMarketDate;
      expect(date).not.toBeNull();
      await page.goto(`/prep-list/${created.id}/${date}`);
      await expect(page.locator('.pl-cold-start')).toContainText(
        `a guess from your sales at ${RIVERSIDE}, scaled x0.5`,
        { timeout: 30_000 },
      );
      await screenshotViewport(page, testInfo.project.name, 'market-size-prep-list');
    } finally {
      // The demo is shared by the other specs of this run: archive the market added here.
      if (createdId) {
        const archived = await page.request.delete(`/v1/markets/${createdId}`, {
          headers: { 'x-csrf-token': csrf },
        });
        expect(archived.status()).toBe(204);
      }
    }
  });

  test('an off-season market says its first market day of the season, by the browser clock', async ({
    page,
  }, testInfo) => {
    await signInAsDemo(page);
    // Saturday Jan 16 2027, noon in Chicago: only Riverside (winter hours) runs.
    await page.clock.setFixedTime(new Date('2027-01-16T18:00:00Z'));
    await page.goto('/markets');
    // Seasons from Apr 1 and May 1: their first Sunday and first Wednesday.
    await expect(card(page, 'Maplewood Sunday Market')).toContainText(
      'Out of season · first market day Sun, Apr 4',
    );
    await expect(card(page, 'Lakeview Wednesday Evening Market')).toContainText(
      'Out of season · first market day Wed, May 5',
    );
    await expect(card(page, RIVERSIDE)).not.toContainText('Out of season');
    await expect(card(page, 'Maplewood Sunday Market')).toContainText(
      'Sundays 9:00 AM–2:00 PM (Apr–Nov)',
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshotViewport(page, testInfo.project.name, 'markets-off-season');
    await page.screenshot({
      path: testInfo.outputPath(`markets-off-season-full-${testInfo.project.name}.png`),
      fullPage: true,
    });

    // Mid-July every market is in season: no season note.
    await page.clock.setFixedTime(new Date('2027-07-17T17:00:00Z'));
    await page.reload();
    await expect(card(page, RIVERSIDE)).toContainText(RIVERSIDE_SUMMARY);
    await expect(page.getByText(/Season starts/)).toHaveCount(0);
  });

  test('the check-in index offers only market days; an out-of-season day says why', async ({
    page,
  }) => {
    await signInAsDemo(page);
    const response = await page.request.get('/v1/markets');
    const markets = (
      (await response.json()) as { data: (ApiMarket & { lastMarketDate?: string | null })[] }
    ).data;

    await page.goto('/check-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Pack-up check-in' })).toBeVisible();
    // One link per market that had a market day lately: the API's lastMarketDate, nothing else.
    const offered = markets.filter((m) => m.lastMarketDate);
    const links = page.locator('.picker__list a');
    await expect(links).toHaveCount(offered.length);
    for (const market of offered) {
      await expect(
        page.locator(`a[href="/check-in/${market.id}/${market.lastMarketDate}"]`),
      ).toBeVisible();
    }

    // Sunday Jan 4 2026: Maplewood (Apr 1 - Nov 30) was out of season.
    const maplewood = markets.find((m) => m.name === 'Maplewood Sunday Market')!;
    await page.goto(`/check-in/${maplewood.id}/2026-01-04`);
    await expect(page.getByRole('heading', { name: 'No market that day' })).toBeVisible();
    await expect(page.getByTestId('check-in-refusal')).toContainText(
      'Maplewood Sunday Market is closed on Sun, Jan 4: its Sunday market runs Apr 1–Nov 30; its next market day is Sun, Apr 5',
    );
    await expect(page.getByRole('link', { name: 'Choose another market day' })).toBeVisible();
  });

  test('a market on the 1st and 3rd Saturdays: the form sets it, the card says it, other Saturdays say why', async ({
    page,
  }, testInfo) => {
    const csrf = await signInAsDemo(page);
    const name = `Winter ${testInfo.project.name} ${Date.now().toString(36)}`;
    const created = await page.request.post('/v1/markets', {
      headers: { 'x-csrf-token': csrf },
      data: {
        name,
        latitude: 41.93,
        longitude: -87.64,
        timezone: 'America/Chicago',
        countryCode: 'US',
        schedule: [{ weekday: 5, opensAt: '09:00', closesAt: '12:00' }],
      },
    });
    expect(created.status()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    try {
      await page.goto('/markets');
      const form = await openEditForm(page, name);
      const weeks = form.getByLabel('Which weeks');
      await expect(weeks).toHaveValue('');
      await weeks.selectOption({ label: '1st and 3rd' });
      await expect(form).toContainText('Saturdays 9:00 AM–12:00 PM (1st and 3rd of the month)');
      await weeks.scrollIntoViewIfNeeded();
      await screenshotViewport(page, testInfo.project.name, 'market-weeks-of-month');
      await form.getByRole('button', { name: `Save ${name}` }).click();
      await expect(form.getByRole('status')).toContainText('Market saved');
      await page.reload();
      await expect(card(page, name)).toContainText(
        'Saturdays 9:00 AM–12:00 PM (1st and 3rd of the month)',
      );
      await expectNoSeriousAxeViolations(page);

      // The next 2nd Saturday from today is no market day: the prep list says why.
      let second = marketToday();
      while (weekdayOf(second) !== 5 || Math.ceil(Number(second.slice(8, 10)) / 7) !== 2) {
        second = addDays(second, 1);
      }
      const market = (await (await page.request.get(`/v1/markets/${id}`)).json()) as {
        schedule: { weeksOfMonth?: number[] }[];
        nextMarketDate: string | null;
      };
      expect(market.schedule.map((s) => s.weeksOfMonth)).toEqual([[1, 3]]);
      expect([1, 3]).toContain(Math.ceil(Number(market.nextMarketDate?.slice(8, 10)) / 7));
      await page.goto(`/prep-list/${id}/${second}`);
      const alert = page.getByRole('alert', { name: 'No market that day' });
      await expect(alert).toContainText(
        'its Saturday market runs on the 1st and 3rd Saturdays of the month',
      );
      const nearest = page.getByRole('list', { name: 'Nearest market days' }).getByRole('link');
      await expect(nearest).toHaveText([
        `Prep list for ${shortSaturday(addDays(second, 7))}`,
        `Prep list for ${shortSaturday(addDays(second, -7))}`,
      ]);
      await screenshotViewport(page, testInfo.project.name, 'market-weeks-of-month-refusal');
    } finally {
      const archived = await page.request.delete(`/v1/markets/${id}`, {
        headers: { 'x-csrf-token': csrf },
      });
      expect(archived.status()).toBe(204);
    }
  });

  test('a market every other week: the form starts it on the next Saturday and the card says so', async ({
    page,
  }, testInfo) => {
    const csrf = await signInAsDemo(page);
    const name = `Biweekly ${testInfo.project.name} ${Date.now().toString(36)}`;
    const created = await page.request.post('/v1/markets', {
      headers: { 'x-csrf-token': csrf },
      data: {
        name,
        latitude: 41.93,
        longitude: -87.64,
        timezone: 'America/Chicago',
        countryCode: 'US',
        schedule: [{ weekday: 5, opensAt: '09:00', closesAt: '12:00' }],
      },
    });
    expect(created.status()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    let saturday = marketToday();
    while (weekdayOf(saturday) !== 5) saturday = addDays(saturday, 1);
    const month = new Date(`${saturday}T00:00:00Z`).toLocaleString('en-US', {
      month: 'short',
      timeZone: 'UTC',
    });
    const from = `${month} ${Number(saturday.slice(8, 10))}`;
    try {
      await page.goto('/markets');
      const form = await openEditForm(page, name);
      await form.getByLabel('Which weeks').selectOption({ label: 'Every other week' });
      await expect(form.getByLabel('Runs on')).toHaveValue(saturday);
      await expect(form).toContainText(
        `Saturdays 9:00 AM–12:00 PM (every other week from ${from})`,
      );
      await form.getByLabel('Runs on').scrollIntoViewIfNeeded();
      await screenshotViewport(page, testInfo.project.name, 'market-every-other-week');
      await form.getByRole('button', { name: `Save ${name}` }).click();
      await expect(form.getByRole('status')).toContainText('Market saved');
      await page.reload();
      await expect(card(page, name)).toContainText(
        `Saturdays 9:00 AM–12:00 PM (every other week from ${from})`,
      );
      const market = (await (await page.request.get(`/v1/markets/${id}`)).json()) as {
        schedule: { everyOtherWeekFrom?: string | null }[];
        nextMarketDate: string | null;
      };
      expect(market.schedule.map((s) => s.everyOtherWeekFrom)).toEqual([saturday]);
      expect(market.nextMarketDate).toBe(saturday);
    } finally {
      const archived = await page.request.delete(`/v1/markets/${id}`, {
        headers: { 'x-csrf-token': csrf },
      });
      expect(archived.status()).toBe(204);
    }
  });
});

/**
 * `'2026-12-19'` → `'Sat, Dec 19'` (a Saturday, as the nearest-day links name it; with its year
 * when that is not the market's current year).
 */
function shortSaturday(date: string): string {
  const month = new Date(`${date}T00:00:00Z`).toLocaleString('en-US', {
    month: 'short',
    timeZone: 'UTC',
  });
  const year = date.slice(0, 4) === marketToday().slice(0, 4) ? '' : `, ${date.slice(0, 4)}`;
  return `Sat, ${month} ${Number(date.slice(8, 10))}${year}`;
}
