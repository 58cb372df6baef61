import path from 'node:path';
import { expect, test } from '@playwright/test';

import { expectAccessible, screenshot, signUpThroughForm } from './account-helpers';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

test.describe('sign up and onboarding', () => {
  test('signs up, previews a bad CSV, imports a good one, confirms the market and sets economics', async ({
    page,
  }, testInfo) => {
    await page.goto('/signup');
    await expectAccessible(page, 'signup');
    // The form says what to fix before anything is sent.
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Use at least 10 characters')).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');

    await signUpThroughForm(page);
    await expect(page.getByRole('list', { name: 'Setup progress' })).toBeVisible();
    await expectAccessible(page, 'onboarding: sales');
    await screenshot(page, testInfo.project.name, 'onboarding');

    // A file with broken rows: the preview lists them by line, and nothing can be imported.
    const file = page.getByLabel('Sales file (CSV)');
    await file.setInputFiles(path.join(FIXTURES, 'bad-sales.csv'));
    const problems = page.getByRole('table', { name: 'Rows with problems' });
    await expect(problems).toBeVisible();
    await expect(problems.getByRole('row')).toHaveCount(3); // header + 2 broken rows
    await expect(problems.getByRole('cell', { name: '3', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Import \d+ rows$/ })).toBeDisabled();
    await expectAccessible(page, 'onboarding: preview with errors');

    // The good file: preview, then confirm.
    await file.setInputFiles(path.join(FIXTURES, 'plain-sales.csv'));
    await expect(page.getByText('plain-sales.csv: 6 of 6 rows ready')).toBeVisible();
    await expect(page.getByText('new: Maple Street Market')).toBeVisible();
    await page.getByRole('button', { name: 'Import 6 rows' }).click();
    await expect(page.getByText(/Imported 6 sales lines and 1 new markets/)).toBeVisible();
    await page.getByRole('button', { name: 'Next: confirm your markets' }).click();

    // The imported market has no location: the step refuses to go on until it has one.
    await expect(page.getByRole('heading', { name: 'Confirm your markets' })).toBeVisible();
    await expect(page.getByText('Location missing')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next: product economics' })).toBeDisabled();
    await expectAccessible(page, 'onboarding: markets');
    const market = page.getByRole('form', { name: 'Market Maple Street Market' });
    await market.getByLabel('Time zone').fill('Mars/Olympus');
    await market.getByRole('button', { name: 'Save Maple Street Market' }).click();
    await expect(market.getByText('Enter the latitude, e.g. 41.9136')).toBeVisible();
    await expect(market.getByText('Use a time zone name such as America/Chicago')).toBeVisible();
    await market.getByLabel('Latitude').fill('41.9136');
    await market.getByLabel('Longitude').fill('-87.6347');
    await market.getByLabel('Time zone').fill('America/Chicago');
    await market.getByLabel('State or region (optional)').fill('IL');
    // Imported markets have no schedule yet: it runs on Saturdays.
    await market.getByRole('button', { name: 'Add a market day' }).click();
    await expect(market.getByLabel('Day')).toHaveValue('5');
    await market.getByRole('button', { name: 'Save Maple Street Market' }).click();
    await expect(market.getByText('Market saved.')).toBeVisible();
    await expect(page.getByText('Ready', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Next: product economics' }).click();

    // Economics: an explanation, defaults from the file, a refusal that says what to fix.
    await expect(page.getByRole('heading', { name: 'Check your product economics' })).toBeVisible();
    await expect(page.getByText('Why do price, cost and leftover value matter?')).toBeVisible();
    const sourdough = page.getByRole('form', { name: 'Economics of Sourdough loaf' });
    await expect(sourdough.getByLabel('Price ($)')).toHaveValue('9.00');
    await sourdough.getByLabel('Leftover value ($)').fill('12');
    await sourdough.getByRole('button', { name: 'Save Sourdough loaf' }).click();
    await expect(sourdough.getByText('Must be below the price', { exact: true })).toBeVisible();
    await sourdough.getByLabel('Unit cost ($)').fill('2.50');
    await sourdough.getByLabel('Leftover value ($)').fill('1.00');
    await expect(sourdough.getByText(/cover about 81% of likely demand/)).toBeVisible();
    await sourdough.getByRole('button', { name: 'Save Sourdough loaf' }).click();
    await expect(sourdough.getByText('Saved Sourdough loaf.')).toBeVisible();
    await expectAccessible(page, 'onboarding: products');

    // Stored: the API returns the new economics.
    const products = await page.request.get('/v1/products?q=Sourdough');
    const body = (await products.json()) as {
      data: { unitCostMinor: number; salvageValueMinor: number; priceMinor: number }[];
    };
    expect(body.data[0]).toMatchObject({
      priceMinor: 900,
      unitCostMinor: 250,
      salvageValueMinor: 100,
    });

    await page.getByRole('button', { name: 'Next: your first prep list' }).click();
    await expect(page.getByRole('heading', { name: 'You are set up' })).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Open the prep list for Maple Street Market' }),
    ).toBeVisible();
    await expectAccessible(page, 'onboarding: done');

    // The products and markets screens show the same data.
    await page.goto('/products');
    await expect(page.getByRole('heading', { name: 'Sourdough loaf' })).toBeVisible();
    // "$9.00 each", never "per each".
    await expect(page.getByText(/^\$9\.00 each · cost \$2\.50 · leftover \$1\.00$/)).toBeVisible();
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
    await screenshot(page, testInfo.project.name, 'dashboard');
  });

  // Connecting Square (against the fake `npm start` runs in demo mode) is in square.spec.ts.
});
