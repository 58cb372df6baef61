import { expect, test, type Page } from '@playwright/test';

import { expectNoSeriousAxeViolations } from './market-day-helpers';

const PRODUCT = 'Strawberries';

/** Signs in as the seeded demo vendor; returns the CSRF token for API writes. */
async function signInAsDemoOwner(page: Page): Promise<string> {
  const response = await page.request.post('/v1/auth/login', {
    data: { email: 'demo@marketprep.local', password: 'marketprep-demo' },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

async function findProduct(page: Page): Promise<{ id: string; priceMinor: number }> {
  const list = (await (await page.request.get('/v1/products?active=true&limit=200')).json()) as {
    data: { id: string; name: string; priceMinor: number }[];
  };
  const product = list.data.find((candidate) => candidate.name === PRODUCT);
  expect(product).toBeDefined();
  return { id: product?.id ?? '', priceMinor: product?.priceMinor ?? 0 };
}

async function openEditor(page: Page) {
  const card = page
    .locator('li.card')
    .filter({ has: page.getByRole('heading', { name: PRODUCT }) });
  await card.getByText('Edit price, cost and season').click();
  return card;
}

test.describe('product season', () => {
  test('the owner sets "Only in these months" and a market to skip; it is kept', async ({
    page,
  }, testInfo) => {
    const csrf = await signInAsDemoOwner(page);
    const { id, priceMinor } = await findProduct(page);
    // The demo's prep lists read this product: other specs find it as seeded.
    const restore = () =>
      page.request.patch(`/v1/products/${id}`, {
        headers: { 'x-csrf-token': csrf },
        data: { season: null, priceMinor },
      });
    expect((await restore()).status()).toBe(200);
    const markets = (await (await page.request.get('/v1/markets')).json()) as {
      data: { id: string; name: string }[];
    };
    const skipped = markets.data[0];
    expect(skipped).toBeDefined();

    try {
      await page.goto('/products');
      await expect(page.getByRole('heading', { level: 1, name: 'Products' })).toBeVisible();
      let card = page
        .locator('li.card')
        .filter({ has: page.getByRole('heading', { name: PRODUCT }) });
      await expect(card.getByText('Season: learned from your sales')).toBeVisible();

      card = await openEditor(page);
      const learned = card.getByRole('radio', { name: /Learn from my sales/ });
      await expect(learned).toBeChecked();
      await card.getByRole('radio', { name: 'Only in these months' }).check();
      // Saving with no month picked says what to do and sends nothing.
      await card.getByRole('button', { name: `Save ${PRODUCT}` }).click();
      await expect(card.getByText('Pick at least one month.')).toBeVisible();

      for (const month of ['May', 'June', 'July']) {
        await card.getByRole('checkbox', { name: month, exact: true }).check();
      }
      await expect(card.getByText('Pick at least one month.')).toBeHidden();
      await card.getByRole('checkbox', { name: `Not at ${skipped?.name}` }).check();
      const save = card.getByRole('button', { name: `Save ${PRODUCT}` });
      // On a phone the form is long: with the top of the form on screen, Save is on screen too,
      // above the bottom bar (not under it).
      await card
        .getByLabel('Price ($)')
        .evaluate((input) => input.scrollIntoView({ block: 'start' }));
      await expect(save).toBeInViewport();
      const saveBox = await save.boundingBox();
      const bar = page.locator('.bottom-nav');
      const barTop = (await bar.isVisible())
        ? ((await bar.boundingBox())?.y ?? Infinity)
        : (page.viewportSize()?.height ?? Infinity);
      expect((saveBox?.y ?? Infinity) + (saveBox?.height ?? 0)).toBeLessThanOrEqual(barTop);
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({
        path: testInfo.outputPath(`product-season-${testInfo.project.name}.png`),
      });
      await card.screenshot({
        path: testInfo.outputPath(`product-season-card-${testInfo.project.name}.png`),
      });
      await save.click();
      await expect(card.getByText(`Saved ${PRODUCT}.`)).toBeVisible();
      await expect(card.getByText(`Season: May-Jul; not at ${skipped?.name}`)).toBeVisible();

      // Kept: the API has it, and the form shows it after a reload.
      const stored = (await (await page.request.get(`/v1/products/${id}`)).json()) as {
        season: unknown;
      };
      expect(stored.season).toEqual({
        mode: 'months',
        months: [5, 6, 7],
        excludedMarkets: [skipped?.id],
      });
      await page.reload();
      card = await openEditor(page);
      await expect(card.getByRole('radio', { name: 'Only in these months' })).toBeChecked();
      for (const month of ['May', 'June', 'July']) {
        await expect(card.getByRole('checkbox', { name: month, exact: true })).toBeChecked();
      }
      await expect(card.getByRole('checkbox', { name: 'August', exact: true })).not.toBeChecked();
      await expect(card.getByRole('checkbox', { name: `Not at ${skipped?.name}` })).toBeChecked();

      // A price change in the same form leaves the season as it is.
      const newPrice = priceMinor === 725 ? '7.50' : '7.25';
      await card.getByLabel('Price ($)').fill(newPrice);
      await card.getByRole('button', { name: `Save ${PRODUCT}` }).click();
      await expect(card.getByText(`Saved ${PRODUCT}.`)).toBeVisible();
      const repriced = (await (await page.request.get(`/v1/products/${id}`)).json()) as {
        priceMinor: number;
        season: { months: number[] };
      };
      expect(repriced.priceMinor).toBe(Math.round(Number(newPrice) * 100));
      expect(repriced.season.months).toEqual([5, 6, 7]);
    } finally {
      await restore();
    }
  });

  test('the owner sets how many days a product sells; the card says it and it is kept', async ({
    page,
  }) => {
    const csrf = await signInAsDemoOwner(page);
    const { id } = await findProduct(page);
    const before = (await (await page.request.get(`/v1/products/${id}`)).json()) as {
      shelfLifeDays: number | null;
    };
    try {
      await page.goto('/products');
      const card = await openEditor(page);
      const keeps = card.getByLabel('Sellable for (days)');
      await keeps.fill('1.5');
      await card.getByRole('button', { name: `Save ${PRODUCT}` }).click();
      await expect(
        card.getByText('Enter whole days from 1 to 3650, or leave it blank.'),
      ).toBeVisible();
      await keeps.fill('3');
      await card.getByRole('button', { name: `Save ${PRODUCT}` }).click();
      await expect(card.getByText(`Saved ${PRODUCT}.`)).toBeVisible();
      await expect(card.getByText('keeps 3 days')).toBeVisible();
      const stored = (await (await page.request.get(`/v1/products/${id}`)).json()) as {
        shelfLifeDays: number | null;
      };
      expect(stored.shelfLifeDays).toBe(3);
      await page.reload();
      await expect((await openEditor(page)).getByLabel('Sellable for (days)')).toHaveValue('3');
    } finally {
      const restored = await page.request.patch(`/v1/products/${id}`, {
        headers: { 'x-csrf-token': csrf },
        data: { shelfLifeDays: before.shelfLifeDays },
      });
      expect(restored.status()).toBe(200);
    }
  });
});
