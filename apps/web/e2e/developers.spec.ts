import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

import { expectAccessible } from './account-helpers';
import { saveScreenshot, signUpWithSales } from './market-day-helpers';

interface Hit {
  body: string;
  signature: string;
}

/** A webhook receiver on loopback (the demo's worker may call loopback: WEBHOOK_ALLOW_LOOPBACK). */
async function startReceiver(status: () => number) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      hits.push({ body, signature: String(req.headers['marketprep-signature'] ?? '') });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/marketprep`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test.describe('settings › developers', () => {
  test('an owner adds a webhook endpoint, gets the secret once, sees a signed delivery and resends it', async ({
    page,
  }, testInfo) => {
    let answer = 200;
    const receiver = await startReceiver(() => answer);
    try {
      const vendor = await signUpWithSales(page);
      await page.goto('/settings/developers');
      await expect(page.getByRole('heading', { level: 1, name: 'Developers' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'No webhook endpoints yet' })).toBeVisible();
      await expectAccessible(page, 'settings: developers (empty)');

      // A URL that is not one is refused before anything is sent.
      await page.getByLabel('URL').fill('not a url');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(
        page
          .locator('#add-endpoint-title ~ form')
          .getByText(/URL|url/)
          .first(),
      ).toBeVisible();

      await page.getByLabel('URL').fill(receiver.url);
      await page.getByLabel('Description (optional)').fill('Bakery spreadsheet');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(
        page.getByRole('heading', { name: 'Copy the signing secret now' }),
      ).toBeVisible();
      const secret =
        (await page.getByLabel(`Signing secret for ${receiver.url}`).textContent()) ?? '';
      expect(secret).toMatch(/^whsec_/);
      const card = page.getByRole('listitem', { name: `Webhook endpoint ${receiver.url}` });
      await expect(card.getByText('On', { exact: true })).toBeVisible();
      await saveScreenshot(page, testInfo.project.name, 'developers-secret');

      // A check-in (the effect) sends check_in.submitted, signed with that secret.
      const product = vendor.products[0]!;
      const checkIn = await page.request.put(
        `/v1/markets/${vendor.marketId}/check-ins/${vendor.today}`,
        {
          headers: { 'x-csrf-token': vendor.csrf },
          data: {
            clientSubmissionId: crypto.randomUUID(),
            lines: [
              { productId: product.id, brought: 30, sold: 27, leftOver: 3, wasted: 1, donated: 2 },
            ],
          },
        },
      );
      expect(checkIn.status(), await checkIn.text()).toBe(200);
      await expect.poll(() => receiver.hits.length, { timeout: 20_000 }).toBe(1);
      const hit = receiver.hits[0]!;
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(hit.signature) ?? [];
      expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${hit.body}`).digest('hex'));
      expect(JSON.parse(hit.body)).toMatchObject({ type: 'check_in.submitted' });

      // The log shows it delivered; after the receiver breaks, Resend shows the failed retry.
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await card.getByRole('button', { name: 'Delivery log' }).click();
      await expect(card.getByRole('cell', { name: /^check_in\.submitted/ })).toBeVisible();
      await expect(card.getByText('Delivered')).toBeVisible();
      await expectAccessible(page, 'settings: developers (log)');
      await saveScreenshot(page, testInfo.project.name, 'developers-log');

      answer = 500;
      await card.getByRole('button', { name: /^Resend/ }).click();
      await expect(card.getByText('Sent again.')).toBeVisible();
      await expect.poll(() => receiver.hits.length, { timeout: 20_000 }).toBe(2);
      await expect
        .poll(
          async () => {
            await card.getByRole('button', { name: 'Hide delivery log' }).click();
            await card.getByRole('button', { name: 'Delivery log' }).click();
            return card.getByText('HTTP 500').isVisible();
          },
          { timeout: 20_000 },
        )
        .toBe(true);
      await expect(card.getByText('Retrying')).toBeVisible();

      // Turned off and on again by the owner.
      await card.getByRole('button', { name: 'Turn off' }).click();
      await expect(card.getByText('Off', { exact: true })).toBeVisible();
      await expect(card.getByText(/Turned off .*by an owner/)).toBeVisible();
      await card.getByRole('button', { name: 'Turn on' }).click();
      await expect(card.getByText('On', { exact: true })).toBeVisible();
    } finally {
      await receiver.close();
    }
  });
});

test.describe('problem pages', () => {
  test("a problem's type URI names a page that explains its code", async ({ page, request }) => {
    // A real problem from the API (through the web's /v1 proxy): anonymous, so unauthenticated.
    const answer = await request.get('/v1/markets');
    expect(answer.status()).toBe(401);
    const problem = (await answer.json()) as { type: string; code: string };
    const { pathname } = new URL(problem.type);
    expect(pathname).toBe(`/problems/${problem.code}`);

    await page.goto(pathname);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'unauthenticated: Not signed in',
    );
    await expect(page.getByText(/^HTTP 401\./)).toBeVisible();
    await expectAccessible(page, 'problem page');

    const unknown = await page.goto('/problems/no-such-code');
    expect(unknown?.status()).toBe(404);
  });
});
