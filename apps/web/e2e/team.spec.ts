import { expect, test } from '@playwright/test';

import {
  confirmSignUpFromEmail,
  expectAccessible,
  linkFromOutbox,
  PASSWORD,
  signUpThroughForm,
  uniqueEmail,
} from './account-helpers';
import { saveScreenshot } from './market-day-helpers';

test.describe('settings, team and roles', () => {
  test('an owner invites staff; staff join in another browser and cannot open owner screens', async ({
    page,
    browser,
  }, testInfo) => {
    await signUpThroughForm(page);

    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expectAccessible(page, 'settings');
    await saveScreenshot(page, testInfo.project.name, 'settings');

    await page.goto('/settings/notifications');
    await expect(page.getByRole('heading', { name: 'No notifications' })).toBeVisible();
    await expectAccessible(page, 'settings: notifications');

    await page.goto('/settings/integrations');
    await expect(page.getByRole('heading', { name: 'Square', exact: true })).toBeVisible();
    await expect(page.getByText('Not connected')).toBeVisible();
    await expectAccessible(page, 'settings: square');

    // API tokens: the secret is shown once.
    await page.goto('/settings/api-tokens');
    await expect(page.getByRole('heading', { name: 'No API tokens yet' })).toBeVisible();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByText('Required')).toBeVisible();
    await page.getByLabel('Name').fill('Spreadsheet sync');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByRole('heading', { name: 'Copy your new token now' })).toBeVisible();
    const secret = await page.getByLabel('API token Spreadsheet sync').textContent();
    expect(secret?.length).toBeGreaterThan(20);
    await expect(page.getByRole('cell', { name: /^Spreadsheet sync/ })).toBeVisible();
    await expectAccessible(page, 'settings: api tokens');
    const withToken = await page.request.get('/v1/markets', {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(withToken.status()).toBe(200);

    // Invite a staff member; the link comes from the development outbox.
    await page.goto('/settings/team');
    await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
    await expectAccessible(page, 'settings: team');
    const staffEmail = uniqueEmail('staff');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expect(page.getByText('Enter a valid email address')).toBeVisible();
    await page.getByLabel('Email').fill(staffEmail);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expect(page.getByText(`Invitation sent to ${staffEmail}`)).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: staffEmail })).toBeVisible();
    const invite = await linkFromOutbox(page.request, staffEmail);
    expect(invite).toMatch(/^\/accept-invite\?token=/);

    // The staff member, in a browser of their own.
    const staffContext = await browser.newContext({
      baseURL: testInfo.project.use.baseURL,
      viewport: testInfo.project.use.viewport ?? null,
    });
    const staff = await staffContext.newPage();
    try {
      await staff.goto(invite);
      await expect(
        staff.getByRole('heading', { name: 'You are invited to MarketPrep' }),
      ).toBeVisible();
      await expectAccessible(staff, 'accept invite');
      await staff.getByRole('link', { name: 'Create an account' }).click();
      await expect(staff.getByRole('heading', { name: 'Join your team' })).toBeVisible();
      await expect(staff.getByLabel('Business name')).toHaveCount(0);
      await staff.getByLabel('Your name').fill('Sam Staff');
      await staff.getByLabel('Email').fill(staffEmail);
      await staff.getByLabel('Password').fill(PASSWORD);
      await staff.getByRole('button', { name: 'Create account and join' }).click();
      // The account is confirmed through the emailed link; confirming also joins the team.
      await confirmSignUpFromEmail(staff, staffEmail);
      await expect(staff).toHaveURL(/\/dashboard/);
      await expect(staff.getByText('Hillside Bakery').first()).toBeVisible();

      // Owner-only entries are hidden...
      await staff.goto('/settings');
      await expect(staff.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
      await expect(staff.getByText('Staff', { exact: true })).toBeVisible();
      await expect(staff.getByRole('link', { name: 'Team' })).toHaveCount(0);
      await expect(staff.getByRole('link', { name: 'API tokens' })).toHaveCount(0);
      await expect(staff.getByRole('link', { name: 'Admin' })).toHaveCount(0);
      // ...and typed by hand they answer with the 403 screen.
      for (const url of ['/settings/team', '/settings/api-tokens', '/onboarding', '/admin']) {
        await staff.goto(url);
        await expect(staff.getByText('Error 403: not allowed')).toBeVisible();
      }
      await staff.goto('/settings/team');
      await expectAccessible(staff, '403');
      expect((await staff.request.get('/v1/team/members')).status()).toBe(403);
    } finally {
      await staffContext.close();
    }

    // The owner sees the new member.
    await page.reload();
    await expect(page.getByRole('cell', { name: /^Sam Staff/ })).toBeVisible();
  });
});
