/**
 * An owner adds products on the Products page, with or without what one costs to make. Without a
 * cost the card says "no cost set" and the editor says how the prep list packs it until then (like
 * the products with a cost; docs/forecasting.md, "Newsvendor"), not "covers about 95%" as a cost
 * of 0 would. At 375 and 1280 px (the two projects).
 */
import { expect, test } from '@playwright/test';

import { signUpThroughApi, uniqueEmail } from './account-helpers';
import { expectNoSeriousAxeViolations } from './market-day-helpers';

test('adds a product with its cost, and one without: each card says which', async ({ page }) => {
  await signUpThroughApi(page.request, {
    email: uniqueEmail('add-product'),
    password: 'e2e-password-123',
    name: 'Rhea Owner',
    vendorName: 'Rhubarb Row Bakery',
  });
  await page.goto('/products');
  const add = page.getByRole('region', { name: 'Add a product' });
  const card = (name: string) =>
    page.locator('li.card').filter({ has: page.getByRole('heading', { name }) });

  await add.getByLabel('Product name').fill('Rhubarb Pie');
  await add.getByLabel('Price ($)').fill('26');
  await add.getByLabel('Unit cost ($)').fill('9');
  await add.getByLabel('Counted in').fill('pie');
  await add.getByRole('button', { name: 'Add product' }).click();
  await expect(add.getByText('Added Rhubarb Pie.')).toBeVisible();
  await expect(
    card('Rhubarb Pie').getByText(/^\$26\.00 per pie · cost \$9\.00 · leftover/),
  ).toBeVisible();

  // A cost that is not an amount is asked again; blank is fine.
  await add.getByLabel('Product name').fill('Hot Honey');
  await add.getByLabel('Price ($)').fill('11');
  await add.getByLabel('Unit cost ($)').fill('cheap');
  await add.getByRole('button', { name: 'Add product' }).click();
  await expect(add.getByText('Enter a cost like 1.20, or leave it blank')).toBeVisible();
  await add.getByLabel('Unit cost ($)').fill('');
  await add.getByRole('button', { name: 'Add product' }).click();
  await expect(add.getByText('Added Hot Honey.')).toBeVisible();
  const honey = card('Hot Honey');
  await expect(honey.getByText(/· no cost set ·/)).toBeVisible();
  await honey.getByText('Edit price, cost and season').click();
  await expect(
    honey.getByText(/^No unit cost yet: until you enter what one costs you, MarketPrep packs it/),
  ).toBeVisible();
  // Typing one gives the share of demand it covers.
  await honey.getByLabel('Unit cost ($)').fill('4.50');
  await expect(honey.getByText(/packs to cover about 59% of likely demand/)).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});
