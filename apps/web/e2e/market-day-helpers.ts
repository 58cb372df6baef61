/**
 * Fresh data for the prep-list, check-in and insights specs: the demo vendor for reads, or a new
 * account with its own imported sales for flows that write. Everything goes through the API with
 * the page's own cookie jar, so the browser is signed in afterwards.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { signUpThroughApi } from './account-helpers';

export const MARKET_TZ = 'America/Chicago';

/** Today's date where the market is. */
export function marketToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: MARKET_TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Monday, as the contracts count weekdays. */
export function weekdayOf(date: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** Signs the page's context in as the seeded demo vendor. */
export async function signInAsDemo(page: Page): Promise<void> {
  const response = await page.request.post('/v1/auth/login', {
    data: { email: 'demo@marketprep.local', password: 'marketprep-demo' },
  });
  expect(response.status()).toBe(200);
}

/** A new vendor with 8 weeks of sales at one market that runs on today's weekday. */
export interface FreshVendor {
  csrf: string;
  marketId: string;
  today: string;
  products: { id: string; name: string }[];
}

/** Signs up a new account, imports a CSV of its sales and schedules its market on today's weekday. */
export async function signUpWithSales(page: Page): Promise<FreshVendor> {
  const email = `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const { csrfToken: csrf } = await signUpThroughApi(page.request, {
    email,
    password: 'e2e-password-123',
    name: 'E2E Vendor',
    vendorName: 'E2E Bakery',
  });
  const headers = { 'x-csrf-token': csrf };

  const today = marketToday();
  const rows = ['date,market,product,quantity,brought,unit_price'];
  for (let week = 8; week >= 1; week--) {
    const date = addDays(today, -7 * week);
    rows.push(`${date},E2E Market,Sourdough loaf,${30 + (week % 3)},36,7.50`);
    rows.push(`${date},E2E Market,Cinnamon roll,${18 + (week % 4)},24,3.25`);
  }
  const imported = await page.request.post(
    `/v1/imports?fileName=e2e-sales.csv&marketTimezone=${encodeURIComponent(MARKET_TZ)}`,
    { headers: { ...headers, 'content-type': 'text/csv' }, data: `${rows.join('\n')}\n` },
  );
  expect(imported.status(), await imported.text()).toBe(201);

  const markets = (await (await page.request.get('/v1/markets')).json()) as {
    data: { id: string; name: string }[];
  };
  const market = markets.data.find((candidate) => candidate.name === 'E2E Market');
  expect(market).toBeDefined();
  const marketId = market?.id ?? '';
  const patched = await page.request.patch(`/v1/markets/${marketId}`, {
    headers,
    data: {
      latitude: 41.9136,
      longitude: -87.6347,
      boothFeeMinor: 4000,
      schedule: [{ weekday: weekdayOf(today), opensAt: '08:00', closesAt: '13:00' }],
    },
  });
  expect(patched.status(), await patched.text()).toBe(200);

  // Economics: what a loaf costs and what a leftover is still worth.
  const products = (await (await page.request.get('/v1/products?limit=200')).json()) as {
    data: { id: string; name: string }[];
  };
  for (const product of products.data) {
    const response = await page.request.patch(`/v1/products/${product.id}`, {
      headers,
      data: { unitCostMinor: 150, salvageValueMinor: 50 },
    });
    expect(response.status(), await response.text()).toBe(200);
  }
  return { csrf, marketId, today, products: products.data };
}

/** No serious or critical axe violation on the page as it is now. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

/** Waits until the service worker controls the page and kept what the page loaded. */
export async function waitForOfflineReady(page: Page): Promise<void> {
  await expect(page.locator('html[data-offline-ready="true"]')).toHaveCount(1, {
    timeout: 20_000,
  });
}

/** A 375 px wide full-page screenshot into docs/screenshots (the mobile project only). */
export async function saveScreenshot(page: Page, projectName: string, name: string): Promise<void> {
  if (projectName !== 'mobile') return;
  // From the top: a reload keeps its scroll position (the page arrives with its content). Cards
  // off screen skip rendering (content-visibility: auto), which a full-page capture would show
  // blank; the fixed bottom bar and the sticky Save bar would be drawn where the first screen
  // ends, over the middle of the page, so they go back into the flow for the picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  const showAll = await page.addStyleTag({
    content:
      '* { content-visibility: visible !important; } .bottom-nav, .ci-submit { position: static !important; }',
  });
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true, scale: 'css' });
  await showAll.evaluate((style) => style.parentNode?.removeChild(style));
}

/** Waits until the service worker holds a copy of the same-origin `path` (an API read). */
export async function waitForKept(page: Page, path: string): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async (url) => {
          const names = await caches.keys();
          for (const name of names) {
            if (await (await caches.open(name)).match(url)) return true;
          }
          return false;
        }, path),
      { timeout: 20_000 },
    )
    .toBe(true);
}
