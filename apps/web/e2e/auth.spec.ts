import { expect, test } from '@playwright/test';

import {
  expectAccessible,
  linkFromOutbox,
  PASSWORD,
  signInThroughForm,
  signUpThroughForm,
  uniqueEmail,
} from './account-helpers';

test.describe('sign in, sign out and password reset', () => {
  test('sign-up answers alike for a new and a registered address; the link finishes it', async ({
    page,
  }, testInfo) => {
    const signUp = async (email: string) => {
      await page.goto('/signup');
      await page.getByLabel('Your name').fill('Olive Owner');
      await page.getByLabel('Business name').fill('Hillside Bakery');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
      // Demo mode sends no mail: the page says where the link is.
      await expect(page.getByRole('link', { name: 'development outbox' })).toBeVisible();
      return (await page.locator('.auth-card').innerText()).replace(email, '<email>');
    };
    const registered = await signUpThroughForm(page);
    await page.context().clearCookies();
    const fresh = uniqueEmail('fresh');
    const forFresh = await signUp(fresh);
    await expectAccessible(page, 'signup: check your email');
    await page.screenshot({ path: testInfo.outputPath('check-email.png'), fullPage: true });
    const forRegistered = await signUp(registered);
    expect(forRegistered).toBe(forFresh);
    // The registered address was told to sign in instead; its password still works.
    const notice = await page.request.get(`/v1/dev/outbox?to=${encodeURIComponent(registered)}`);
    const mails = ((await notice.json()) as { data: { subject: string }[] }).data;
    expect(mails[0]?.subject).toBe('Someone tried to sign up to MarketPrep with your address');

    await page.goto(await linkFromOutbox(page.request, fresh, '/signup/confirm'));
    await expect(
      page.getByRole('heading', { level: 1, name: 'Confirm your account' }),
    ).toBeVisible();
    await expectAccessible(page, 'signup: confirm');
    await page.screenshot({ path: testInfo.outputPath('confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect(page).toHaveURL(/\/onboarding/);
    // The link works once.
    await page.context().clearCookies();
    await page.goto(await linkFromOutbox(page.request, fresh, '/signup/confirm'));
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect(page.locator('.form-error')).toContainText(/invalid, used or expired/);

    await signInThroughForm(page, registered, PASSWORD);
    await expect(page).toHaveURL(/\/dashboard/);
  });

  test('sends a signed-out visitor to sign in, and back to where they were going', async ({
    page,
  }) => {
    await page.goto('/settings/team');
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fteam/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'login');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Enter a valid email address')).toBeVisible();
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.form-error')).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  test('stays on the site after sign-in whatever ?next= says (tab and line-break spellings)', async ({
    page,
    baseURL,
  }) => {
    const email = await signUpThroughForm(page);
    for (const sneaky of ['/%09/evil.example', '/%0A/evil.example', '/%0D/evil.example']) {
      await page.context().clearCookies();
      await page.goto(`/login?next=${sneaky}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).not.toHaveURL(/\/login/);
      expect(new URL(page.url()).host, sneaky).toBe(new URL(baseURL!).host);
    }
  });

  test('the web proxy forwards the client address it saw, not one the client wrote', async ({
    request,
  }) => {
    // This browser is on the machine: the loopback-only mail outbox answers it even when it
    // claims to be elsewhere, because the web server replaces the claim with the real address.
    const claimed = await request.get('/v1/dev/outbox?to=nobody%40example.com', {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(claimed.status()).toBe(200);
  });

  test('resets a forgotten password with the mailed link, then signs in with it', async ({
    page,
  }) => {
    const email = await signUpThroughForm(page);
    // Phones keep sign-out in the menu; wider screens show it in the top bar.
    const menu = page.locator('summary', { hasText: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    await page.getByRole('button', { name: 'Sign out' }).filter({ visible: true }).click();
    await expect(page).toHaveURL(/\/login/);

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expectAccessible(page, 'forgot password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await expect(page.getByText(/we have emailed it a link/)).toBeVisible();

    await expect(page.getByRole('link', { name: 'development outbox' })).toBeVisible();
    const link = await linkFromOutbox(page.request, email, '/reset-password');
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
    await expectAccessible(page, 'reset password');
    await page.getByLabel('New password', { exact: true }).fill('a-brand-new-password');
    await page.getByLabel('Repeat the new password').fill('something-else-entirely');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect(page.getByText('The two passwords differ')).toBeVisible();
    await page.getByLabel('Repeat the new password').fill('a-brand-new-password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect(page.getByText(/Your password is changed/)).toBeVisible();

    await signInThroughForm(page, email, PASSWORD);
    await expect(page.locator('.form-error')).toBeVisible();
    await signInThroughForm(page, email, 'a-brand-new-password');
    await expect(page).toHaveURL(/\/dashboard/);
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  });
});
