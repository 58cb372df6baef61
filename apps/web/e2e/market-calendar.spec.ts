/**
 * The owner changes a market's calendar on the Markets page: cancels a market day (it leaves the
 * prep list picker and the market's next day), restores it, and adds a one-off day. At 375 and
 * 1280 px (the two projects). A market of its own, archived at the end: the demo is shared.
 */
import { expect, test, type Page } from '@playwright/test';

import {
  addDays,
  expectNoSeriousAxeViolations,
  marketToday,
  weekdayOf,
} from './market-day-helpers';

async function signIn(page: Page): Promise<string> {
  const response = await page.request.post('/v1/auth/login', {
    data: { email: 'demo@marketprep.local', password: 'marketprep-demo' },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/** 'Sat, Dec 12' for a date of the current year, with the year otherwise. */
function shortDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const year = date.slice(0, 4) === marketToday().slice(0, 4) ? '' : `, ${date.slice(0, 4)}`;
  return `${weekday}, ${month} ${d.getUTCDate()}${year}`;
}

test('an owner cancels a market day, restores it and adds a one-off day', async ({
  page,
}, testInfo) => {
  const csrf = await signIn(page);
  const name = `Calendar ${testInfo.project.name} ${Date.now().toString(36)}`;
  const created = await page.request.post('/v1/markets', {
    headers: { 'x-csrf-token': csrf },
    data: {
      name,
      latitude: 41.9,
      longitude: -87.65,
      timezone: 'America/Chicago',
      countryCode: 'US',
      schedule: [{ weekday: 5, opensAt: '09:00', closesAt: '13:00' }],
    },
  });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  let next = addDays(marketToday(), 1);
  while (weekdayOf(next) !== 5) next = addDays(next, 1);
  const after = addDays(next, 7);
  // A Tuesday holiday market the week after next.
  const oneOff = addDays(next, 10);
  try {
    await page.goto('/markets');
    const card = page.getByRole('article', { name });
    await card.locator('summary', { hasText: 'Market days' }).click();
    const days = card.getByRole('list', { name: `Market days of ${name}` });
    await expect(days.getByRole('listitem').first()).toContainText(
      `${shortDate(next)} · 9:00 AM–1:00 PM`,
    );
    await expect(card).toContainText(`Next market${shortDate(next)}`);
    // The days and their buttons fit the screen: a phone never scrolls sideways (the 12-hour
    // hours once pushed every market card, and its buttons, past a 375 px screen).
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBe(0);

    // Cancel the next Saturday: marked, and the market's next day moves a week on.
    await days
      .getByRole('listitem')
      .filter({ hasText: shortDate(next) })
      .getByRole('button', { name: /^Cancel/ })
      .click();
    await expect(card.getByRole('status')).toContainText(`${shortDate(next)} is cancelled.`);
    await expect(days.getByRole('listitem').first()).toContainText('Cancelled');
    await expect(card).toContainText(`Next market${shortDate(after)}`);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: testInfo.outputPath(`market-days-${testInfo.project.name}.png`),
      fullPage: true,
    });
    const cancelled = await page.request.get(`/v1/markets/${id}/prep-lists/${next}`);
    expect(cancelled.status()).toBe(409);

    // Add a one-off Tuesday with its own hours; it lists in date order.
    const add = card.getByRole('form', { name: `Add a market day to ${name}` });
    await add.getByLabel('Add a day').fill(oneOff);
    await add.getByLabel('Opens').fill('16:00');
    await add.getByLabel('Closes').fill('19:00');
    await add.getByLabel('Note (optional)').fill('Holiday market');
    await add.getByRole('button', { name: 'Add market day' }).click();
    await expect(card.getByRole('status')).toContainText(
      `${shortDate(oneOff)} is added as a market day.`,
    );
    await expect(days.getByRole('listitem').nth(2)).toContainText(
      `${shortDate(oneOff)} · 4:00–7:00 PM · Holiday market`,
    );
    // The same date again says so, nothing added.
    await add.getByRole('button', { name: 'Add market day' }).click();
    await expect(add).toContainText(`${shortDate(oneOff)} is already a market day`);
    await expectNoSeriousAxeViolations(page);

    // Restore the Saturday.
    await days
      .getByRole('listitem')
      .filter({ hasText: shortDate(next) })
      .getByRole('button', { name: /^Restore/ })
      .click();
    await expect(card.getByRole('status')).toContainText(
      `${shortDate(next)} is a market day again.`,
    );
    await expect(card).toContainText(`Next market${shortDate(next)}`);

    // Each day's prep list says its hours under the title: the one-off's own, the Saturday's
    // from the schedule.
    await page.goto(`/prep-list/${id}/${oneOff}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Prep list for');
    await expect(page.locator('.pl-day-hours')).toHaveText('4:00–7:00 PM · Holiday market');
    await page.goto(`/prep-list/${id}/${next}`);
    await expect(page.locator('.pl-day-hours')).toHaveText('9:00 AM–1:00 PM');
  } finally {
    const archived = await page.request.delete(`/v1/markets/${id}`, {
      headers: { 'x-csrf-token': csrf },
    });
    expect(archived.status()).toBe(204);
  }
});
