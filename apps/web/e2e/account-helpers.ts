/**
 * Accounts for the shell, onboarding, settings and admin specs: a fresh sign-up per test, the
 * dev outbox for mailed links, and axe for every screen.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** A unique email for this test. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = 'e2e-password-123';

/** Signs up through the form; ends on the onboarding page. */
export async function signUpThroughForm(
  page: Page,
  { email = uniqueEmail('owner'), business = 'Hillside Bakery' } = {},
): Promise<string> {
  await page.goto('/signup');
  await page.getByLabel('Your name').fill('Olive Owner');
  await page.getByLabel('Business name').fill(business);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/onboarding/);
  await expect(page.getByRole('heading', { level: 1, name: 'Get set up' })).toBeVisible();
  return email;
}

/** Signs in through the form. */
export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The newest mail to `to` in the development outbox; returns the first link in it. */
export async function linkFromOutbox(request: APIRequestContext, to: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(async () => {
      const response = await request.get(`/v1/dev/outbox?to=${encodeURIComponent(to)}`);
      const body = (await response.json()) as { data: { text: string }[] };
      link = body.data.at(-1)?.text.match(/https?:\/\/\S+/)?.[0];
      return link;
    })
    .toBeTruthy();
  return new URL(link!).pathname + new URL(link!).search;
}

/** Fails on any serious or critical axe violation of the current page. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${screen}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  expect(serious).toEqual([]);
}
