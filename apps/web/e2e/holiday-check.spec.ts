/**
 * A market day on Christmas Day (or New Year's Day, Thanksgiving Day) says on its prep list, the
 * week's plan and its dashboard card that most markets are closed, and the owner cancels it there:
 * it leaves the dashboard. At 375
 * and 1280 px (the two projects). The API names the holiday from the market's country and the
 * date (insights.int.test.ts); the test's next market day is rarely one, so it marks its market's
 * next day as Christmas Day in the API's answer to the browser, and the cancel goes to the real API.
 */
import { expect, test } from '@playwright/test';

import { signUpThroughApi, uniqueEmail } from './account-helpers';
import {
  addDays,
  expectNoSeriousAxeViolations,
  marketToday,
  weekdayOf,
} from './market-day-helpers';

test('the owner cancels a market day that falls on Christmas Day from the dashboard', async ({
  page,
}) => {
  const { csrfToken } = await signUpThroughApi(page.request, {
    email: uniqueEmail('holiday'),
    password: 'e2e-password-123',
    name: 'Holly Owner',
    vendorName: 'Holly Bakery',
  });
  const created = await page.request.post('/v1/markets', {
    headers: { 'x-csrf-token': csrfToken },
    data: {
      name: 'Holly Market',
      latitude: 41.9,
      longitude: -87.65,
      timezone: 'America/Chicago',
      countryCode: 'US',
      schedule: [{ weekday: 5, opensAt: '09:00', closesAt: '13:00' }],
    },
  });
  expect(created.status()).toBe(201);
  const marketId = ((await created.json()) as { id: string }).id;
  const product = await page.request.post('/v1/products', {
    headers: { 'x-csrf-token': csrfToken },
    data: { name: 'Pumpkin Pie', priceMinor: 2400 },
  });
  expect(product.status(), await product.text()).toBe(201);
  // Its first market day (today, when today is a Saturday): the first card of the dashboard.
  let holiday = marketToday();
  while (weekdayOf(holiday) !== 5) holiday = addDays(holiday, 1);

  await page.route('**/v1/insights/go-no-go**', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as {
      data: { date: string; closingHoliday: string | null }[];
    };
    for (const day of body.data) {
      if (day.date === holiday) day.closingHoliday = 'Christmas Day';
    }
    await route.fulfill({ response, json: body });
  });
  await page.route(`**/v1/markets/${marketId}/prep-lists/${holiday}`, async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { closingHoliday: string | null };
    await route.fulfill({ response, json: { ...body, closingHoliday: 'Christmas Day' } });
  });
  await page.route('**/v1/plans/week**', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as {
      marketDays: { date: string; closingHoliday: string | null }[];
    };
    for (const day of body.marketDays) {
      if (day.date === holiday) day.closingHoliday = 'Christmas Day';
    }
    await route.fulfill({ response, json: body });
  });
  // The screens' first answers come with the page (fetched by the server, out of the route's
  // reach); a browser clock 10 minutes on makes them stale, so the browser asks again at once.
  await page.clock.install({ time: Date.now() + 10 * 60_000 });

  // The day's prep list asks too.
  await page.goto(`/prep-list/${marketId}/${holiday}`);
  await expect(page.getByTestId('closing-holiday')).toContainText(
    'Christmas Day: most markets are closed.',
  );
  await expectNoSeriousAxeViolations(page);

  // So does the week's plan, naming the market day.
  await page.goto('/week');
  await expect(page.getByTestId('closing-holiday')).toContainText(
    /^Christmas Day \(Holly Market, \w{3}, \w{3} \d+(, \d{4})?\): most markets are closed\./,
  );

  await page.goto('/dashboard');
  const days = page.getByRole('list', { name: 'Next market days' });
  const cards = days.getByRole('listitem');
  await expect(cards).toHaveCount(2);
  const card = cards.first();
  const check = card.getByTestId('closing-holiday');
  await expect(check).toContainText(
    'Christmas Day: most markets are closed. Check that this one opens before you bake for it.',
  );
  // Only the holiday says so.
  await expect(cards.nth(1).getByTestId('closing-holiday')).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);

  await check.getByRole('button', { name: 'Closed: cancel this day' }).click();
  // The day is cancelled: the dashboard's next market day is the week after.
  await expect(cards).toHaveCount(1);
  await expect(page.getByTestId('closing-holiday')).toHaveCount(0);
  const stored = (await (
    await page.request.get(`/v1/markets/${marketId}/market-days?from=${holiday}&to=${holiday}`)
  ).json()) as { data: { date: string; status: string }[] };
  expect(stored.data).toEqual([expect.objectContaining({ date: holiday, status: 'CANCELLED' })]);
});
