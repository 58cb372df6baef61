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

/**
 * Signs up through the form and the emailed link (read from the development outbox, as the
 * "check your email" page tells a demo user); ends on the onboarding page, signed in.
 */
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
  await confirmSignUpFromEmail(page, email);
  await expect(page).toHaveURL(/\/onboarding/);
  await expect(page.getByRole('heading', { level: 1, name: 'Get set up' })).toBeVisible();
  return email;
}

/** From the "check your email" page: opens the emailed link and confirms the account. */
export async function confirmSignUpFromEmail(page: Page, email: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
  await page.goto(await linkFromOutbox(page.request, email, '/signup/confirm'));
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your account' })).toBeVisible();
  await page.getByRole('button', { name: 'Create my account' }).click();
}

/**
 * Signs up through the API as a person does (the sign-up, then the emailed link), in the browser
 * context of `request` (`page.request` shares the page's cookies). Returns the session (CSRF token).
 */
export async function signUpThroughApi(
  request: APIRequestContext,
  body: { email: string; password: string; name: string; vendorName?: string },
): Promise<{ csrfToken: string; activeVendorId: string | null; user: { id: string } }> {
  const signup = await request.post('/v1/auth/signup', { data: body });
  expect(signup.status()).toBe(202);
  const link = await linkFromOutbox(request, body.email, '/signup/confirm');
  const token = new URL(link, 'http://localhost').searchParams.get('token');
  const confirmed = await request.post('/v1/auth/signup/confirm', { data: { token } });
  expect(confirmed.status()).toBe(201);
  return (await confirmed.json()) as {
    csrfToken: string;
    activeVendorId: string | null;
    user: { id: string };
  };
}

/** Signs in through the form. */
export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The newest link in the mail to `to` in the development outbox (optionally only a link to `path`,
 * e.g. `/signup/confirm`), as a path and query for `page.goto`.
 */
export async function linkFromOutbox(
  request: APIRequestContext,
  to: string,
  path?: string,
): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(async () => {
      const response = await request.get(`/v1/dev/outbox?to=${encodeURIComponent(to)}`);
      const body = (await response.json()) as { data: { text: string }[] };
      // Newest first.
      link = body.data
        .flatMap((mail) => mail.text.match(/https?:\/\/\S+/g) ?? [])
        .find((url) => !path || new URL(url).pathname === path);
      return link;
    })
    .toBeTruthy();
  return new URL(link!).pathname + new URL(link!).search;
}

/**
 * Fails on any serious or critical axe violation of the current page, once it has settled: its
 * `<title>` is set (a client-side step change can leave axe a page between two titles).
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${screen}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  expect(serious).toEqual([]);
}
