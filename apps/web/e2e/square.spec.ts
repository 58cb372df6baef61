import { expect, test } from '@playwright/test';

import { expectAccessible, signUpThroughForm } from './account-helpers';

// `npm start` without SQUARE_APPLICATION_ID runs Square against the local fake (demo mode), so
// the whole OAuth round trip happens here: consent at the fake, the callback on the web origin,
// the stored connection and the backfill of the fake's generated order history.
test.describe('Square connect against the fake', () => {
  test('an owner connects Square from onboarding and sees the connection and its backfill', async ({
    page,
  }, testInfo) => {
    // The fake is one Square merchant, and a merchant connects to one business only (a second
    // business gets `?square=in-use`): connect once per server, in the mobile project.
    test.skip(testInfo.project.name !== 'mobile', 'one fake Square merchant per server');
    test.setTimeout(120_000);
    await signUpThroughForm(page);

    const connect = page.waitForResponse((r) =>
      r.url().includes('/v1/integrations/square/connect'),
    );
    // The consent page of the fake approves at once and redirects to the callback.
    const consent = page.waitForRequest((r) => r.url().includes('/oauth2/authorize'));
    await page.getByRole('button', { name: 'Connect Square' }).first().click();
    expect((await connect).status()).toBe(200);
    const authorize = new URL((await consent).url());
    expect(authorize.searchParams.get('client_id')).toBeTruthy();
    expect(authorize.searchParams.get('state')).toBeTruthy();

    await expect(page).toHaveURL(/\/settings\/integrations\?square=connected$/, {
      timeout: 30_000,
    });
    await expect(page.getByRole('heading', { level: 1, name: 'Square connection' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Square is connected' })).toBeVisible();
    const panel = page.getByRole('region', { name: 'Square' });
    await expect(panel.getByText('Connected', { exact: true })).toBeVisible();
    await expect(panel.getByText('MLFAKEMERCHANT01')).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Disconnect Square' })).toBeVisible();
    await expectAccessible(page, 'settings: square connected');

    // The worker backfills the fake's order history; the API reports it finished.
    await expect
      .poll(
        async () => {
          const response = await page.request.get('/v1/integrations/square');
          const body = (await response.json()) as {
            status: string;
            backfillCompletedAt: string | null;
          };
          return body.status === 'ACTIVE' && body.backfillCompletedAt !== null;
        },
        { timeout: 90_000, intervals: [1_000] },
      )
      .toBe(true);
    await page.reload();
    await expect(panel.getByText('complete', { exact: true })).toBeVisible();
    // A new business has no Square location mapped to a market yet, so the backfill reads none.
    await expect(
      panel.getByRole('heading', { name: 'Bringing in your sales history (done)' }),
    ).toBeVisible();
    await expect(panel.getByText(/^0 orders read, 0 sale lines stored/)).toBeVisible();
  });
});
