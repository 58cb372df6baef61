import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreakerRegistry, ProviderBreaker } from '../http/breaker';
import {
  ProviderCircuitOpenError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderSchemaError,
  ProviderTimeoutError,
} from '../http/errors';
import { createSquareFake, type SquareFake } from '../fakes/square.fake';
import { squareValidators } from '../testing/provider-contracts';
import { createSquareClient, type SquareApi } from './square.client';
import { verifySquareWebhookSignature } from './square-webhooks';

// The Square fake is checked against square/api.json, and the real client (the `square` SDK
// pointed at the fake) is driven through every failure mode.
let fake: SquareFake;
const validate = squareValidators();
const redirectUri = 'http://127.0.0.1:9/v1/integrations/square/callback';

beforeAll(async () => {
  fake = createSquareFake({
    orders: { count: 600, from: '2026-05-01', to: '2026-06-30', refundEvery: 20, cancelEvery: 30 },
    catalogPageSize: 5,
    redirectUri,
  });
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});

function client(overrides: Partial<Parameters<typeof createSquareClient>[0]> = {}): SquareApi {
  return createSquareClient({
    baseUrl: fake.baseUrl,
    applicationId: fake.applicationId,
    applicationSecret: fake.applicationSecret,
    breaker: new ProviderBreaker('square'),
    backoff: { baseMs: 1, maxMs: 5 },
    ...overrides,
  });
}

async function connect(api: SquareApi): Promise<string> {
  const authorize = await fetch(api.authorizeUrl({ state: 'st4te' }), { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const location = new URL(authorize.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('st4te');
  const tokens = await api.exchangeCode({ code: location.searchParams.get('code')! });
  return tokens.accessToken;
}

async function raw(path: string, init: RequestInit = {}, token?: string) {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  return { status: response.status, body: await response.json() };
}

describe('Square fake vs square/api.json', () => {
  it('OAuth token, locations, catalog and every orders page validate; errors too', async () => {
    const token = await connect(client());
    const tokenBody = await raw('/oauth2/token', {
      method: 'POST',
      body: JSON.stringify({
        client_id: fake.applicationId,
        client_secret: fake.applicationSecret,
        grant_type: 'refresh_token',
        refresh_token: fake.issuedRefreshTokens[0],
      }),
    });
    expect(tokenBody.status).toBe(200);
    expect(validate.obtainToken(tokenBody.body), validate.obtainToken.errorText()).toBe(true);

    const locations = await raw('/v2/locations', {}, token);
    expect(validate.listLocations(locations.body), validate.listLocations.errorText()).toBe(true);

    let cursor: string | undefined;
    let catalogPages = 0;
    do {
      const page = await raw(
        `/v2/catalog/list?types=ITEM,ITEM_VARIATION${cursor ? `&cursor=${cursor}` : ''}`,
        {},
        token,
      );
      expect(validate.listCatalog(page.body), validate.listCatalog.errorText()).toBe(true);
      cursor = (page.body as { cursor?: string }).cursor;
      catalogPages += 1;
    } while (cursor);
    expect(catalogPages).toBeGreaterThan(1);

    let orderCursor: string | undefined;
    let seen = 0;
    const search = (c?: string) =>
      raw(
        '/v2/orders/search',
        {
          method: 'POST',
          body: JSON.stringify({
            location_ids: fake.locations.map((l) => l.id),
            limit: 200,
            ...(c ? { cursor: c } : {}),
            query: {
              filter: {
                state_filter: { states: ['COMPLETED', 'CANCELED'] },
                date_time_filter: { closed_at: { start_at: '2026-01-01T00:00:00Z' } },
              },
              sort: { sort_field: 'CLOSED_AT', sort_order: 'ASC' },
            },
          }),
        },
        token,
      );
    do {
      const page = await search(orderCursor);
      expect(validate.searchOrders(page.body), validate.searchOrders.errorText()).toBe(true);
      const body = page.body as { orders: { closed_at: string }[]; cursor?: string };
      seen += body.orders.length;
      orderCursor = body.cursor;
    } while (orderCursor);
    expect(seen).toBe(fake.orders.length);
    expect(fake.orders.some((o) => o.returns?.length)).toBe(true);
    expect(fake.orders.some((o) => o.state === 'CANCELED')).toBe(true);

    // The validator can fail: a state Square does not have.
    const order = structuredClone(fake.orders[0]) as unknown as Record<string, unknown>;
    expect(validate.order(order), validate.order.errorText()).toBe(true);
    order.state = 'SHIPPED';
    expect(validate.order(order)).toBe(false);

    for (const error of [
      await raw('/v2/locations'),
      await raw('/v2/orders/search', { method: 'POST', body: '{"location_ids":[]}' }, token),
    ]) {
      expect([400, 401]).toContain(error.status);
      expect(validate.errorBody(error.body), validate.errorBody.errorText()).toBe(true);
    }
    fake.setMode('rateLimited', { times: 1 });
    const limited = await raw('/v2/locations', {}, token);
    expect(limited.status).toBe(429);
    expect(validate.errorBody(limited.body)).toBe(true);

    const revoked = await raw('/oauth2/revoke', {
      method: 'POST',
      headers: { authorization: `Client ${fake.applicationSecret}` },
      body: JSON.stringify({ client_id: fake.applicationId, access_token: token }),
    });
    expect(validate.revokeToken(revoked.body), validate.revokeToken.errorText()).toBe(true);
  });

  it('rejects a cursor from another query and a closed_at filter without the CLOSED_AT sort', async () => {
    const token = await connect(client());
    const bad = await raw(
      '/v2/orders/search',
      {
        method: 'POST',
        body: JSON.stringify({ location_ids: [fake.locations[0]!.id], cursor: 'bm9wZQ' }),
      },
      token,
    );
    expect(bad.status).toBe(400);
    const unsorted = await raw(
      '/v2/orders/search',
      {
        method: 'POST',
        body: JSON.stringify({
          location_ids: [fake.locations[0]!.id],
          query: {
            filter: { date_time_filter: { closed_at: { start_at: '2026-01-01T00:00:00Z' } } },
          },
        }),
      },
      token,
    );
    expect(unsorted.status).toBe(400);
  });
});

describe('Square client (the SDK against the fake)', () => {
  it('connects, refreshes, lists locations and variations, pages orders, revokes', async () => {
    const api = client();
    const authorize = new URL(api.authorizeUrl({ state: 'abc' }));
    expect(authorize.searchParams.get('scope')).toBe(
      'MERCHANT_PROFILE_READ ITEMS_READ ORDERS_READ PAYMENTS_READ',
    );
    const token = await connect(api);
    const locations = await api.listLocations(token);
    expect(locations.map((l) => l.id)).toEqual(fake.locations.map((l) => l.id));
    expect(locations[0]!.timezone).toBe('America/New_York');

    const variations = await api.listVariations(token);
    expect(variations).toHaveLength(fake.variations.length);
    expect(variations.find((v) => v.variationId === 'VFAKE0001')).toEqual({
      variationId: 'VFAKE0001',
      itemId: fake.variations[0]!.itemId,
      itemName: 'Sourdough',
      variationName: 'Loaf',
      priceMinor: 900,
    });

    let cursor: string | null = null;
    const ids: string[] = [];
    do {
      const page: Awaited<ReturnType<SquareApi['searchOrders']>> = await api.searchOrders(token, {
        locationIds: fake.locations.map((l) => l.id),
        closedAtFrom: '2026-01-01T00:00:00Z',
        cursor,
        limit: 250,
      });
      ids.push(...page.orders.map((o) => o.id));
      const first = page.orders[0]!;
      expect(typeof first.closedAt).toBe('string');
      cursor = page.cursor;
    } while (cursor);
    expect(ids).toHaveLength(fake.orders.length);
    expect(new Set(ids).size).toBe(ids.length);
    const sale = fake.orders.find((o) => o.line_items?.length)!;
    const parsed = (
      await api.searchOrders(token, {
        locationIds: [sale.location_id],
        closedAtFrom: sale.closed_at,
        limit: 1,
      })
    ).orders[0]!;
    expect(parsed.lineItems?.[0]?.basePriceMoney?.amount).toBe(
      sale.line_items![0]!.base_price_money.amount,
    );

    await expect(
      api.searchOrders(token, {
        locationIds: Array.from({ length: 11 }, (_, i) => `L${i}`),
        closedAtFrom: '2026-01-01T00:00:00Z',
      }),
    ).rejects.toThrow(RangeError);

    const refreshed = await api.refreshToken(fake.issuedRefreshTokens.at(-1)!);
    expect(refreshed.accessToken).not.toBe(token);
    expect(refreshed.merchantId).toBe(fake.merchantId);
    expect(refreshed.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    await api.revokeToken(refreshed.accessToken);
    const error = await api.listLocations(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect((error as ProviderHttpError).status).toBe(401);
    expect((error as ProviderHttpError).retryable).toBe(false);
  });

  it('retries 429 (honouring Retry-After), 500, reset; gives up on 4xx; schema and timeout errors', async () => {
    const api = client({ timeoutMs: 300 });
    const token = await connect(api);
    const retries: number[] = [];
    const counting = client({ timeoutMs: 300, onRetry: (info) => retries.push(info.delayMs) });

    fake.setMode('rateLimited', { times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    expect(await counting.listLocations(token)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retries[0]).toBeGreaterThanOrEqual(1_000);

    fake.setMode('error500', { times: 2 });
    expect(await api.listLocations(token)).toHaveLength(2);
    fake.setMode('reset', { times: 1 });
    expect(await api.listLocations(token)).toHaveLength(2);

    fake.setMode('error500');
    const fiveHundred = await api.listLocations(token).catch((e: unknown) => e);
    expect(fiveHundred).toBeInstanceOf(ProviderHttpError);
    expect((fiveHundred as ProviderHttpError).status).toBe(500);
    fake.setMode('malformed');
    await expect(api.listLocations(token)).rejects.toBeInstanceOf(ProviderSchemaError);
    fake.setMode('reset');
    await expect(api.listLocations(token)).rejects.toBeInstanceOf(ProviderNetworkError);
    fake.setMode('hang');
    await expect(
      client({ timeoutMs: 200, retries: 0 }).listLocations(token),
    ).rejects.toBeInstanceOf(ProviderTimeoutError);
    fake.setMode('ok');
    await expect(api.listLocations('not-a-token')).rejects.toMatchObject({ status: 401 });
  });

  it('opens the breaker on 5xx but not on 401s', async () => {
    const registry = new BreakerRegistry({ volumeThreshold: 3, resetTimeoutMs: 60_000 });
    const api = client({ breaker: registry.get('square'), retries: 0 });
    const token = await connect(client());
    for (let i = 0; i < 5; i += 1) await api.listLocations('bad-token').catch(() => undefined);
    expect(registry.states()).toEqual({ square: 'closed' });
    fake.setMode('error500');
    for (let i = 0; i < 8; i += 1) await api.listLocations(token).catch(() => undefined);
    fake.setMode('ok');
    expect(registry.states()).toEqual({ square: 'open' });
    await expect(api.listLocations(token)).rejects.toBeInstanceOf(ProviderCircuitOpenError);
    registry.shutdown();
  });
});

describe('Square webhook sender', () => {
  let server: Server;
  const received: { body: string; signature: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: request.headers['x-square-hmacsha256-signature'] as string | undefined,
        });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('POSTs signed payment.updated and order.updated events', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const notificationUrl = 'https://api.example.com/v1/webhooks/square';
    for (const type of ['payment.updated', 'order.updated'] as const) {
      const sent = await fake.sendWebhook(url, { signatureKey: 'k', notificationUrl, type });
      expect(sent.status).toBe(200);
    }
    expect(received).toHaveLength(2);
    for (const event of received) {
      expect(
        verifySquareWebhookSignature({
          signatureKey: 'k',
          notificationUrl,
          rawBody: event.body,
          signature: event.signature,
        }),
      ).toBe(true);
      expect(JSON.parse(event.body)).toMatchObject({ merchant_id: fake.merchantId });
    }
    expect(JSON.parse(received[1]!.body) as { type: string }).toMatchObject({
      type: 'order.updated',
    });
  });
});

describe('Square fake demo options', () => {
  it('grants a merchant per authorization (revoking one leaves the others) and takes its time per orders page', async () => {
    const demo = createSquareFake({
      redirectUri,
      merchantPerAuthorization: true,
      searchLatencyMs: 250,
    });
    await demo.start();
    try {
      const api = createSquareClient({
        baseUrl: demo.baseUrl,
        applicationId: demo.applicationId,
        applicationSecret: demo.applicationSecret,
        breaker: new ProviderBreaker('square'),
        backoff: { baseMs: 1, maxMs: 5 },
      });
      const grant = async () => {
        const authorize = await fetch(api.authorizeUrl({ state: 'st4te' }), { redirect: 'manual' });
        const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
        return api.exchangeCode({ code });
      };
      const first = await grant();
      const second = await grant();
      expect([first.merchantId, second.merchantId]).toEqual([
        'MLFAKEMERCHANT01',
        'MLFAKEMERCHANT02',
      ]);
      const refreshed = await api.refreshToken(second.refreshToken!);
      expect(refreshed.merchantId).toBe('MLFAKEMERCHANT02');
      await api.revokeToken(first.accessToken);
      await expect(api.listLocations(first.accessToken)).rejects.toMatchObject({ status: 401 });
      expect((await api.listLocations(refreshed.accessToken)).length).toBe(2);
      const started = Date.now();
      const page = await api.searchOrders(refreshed.accessToken, {
        locationIds: ['LFAKEUNIONSQ01'],
        closedAtFrom: '2026-01-01T00:00:00Z',
        cursor: null,
        limit: 10,
      });
      expect(page.orders).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    } finally {
      await demo.stop();
    }
  });
});
