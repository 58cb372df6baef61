import { createSquareFake, type SquareFake } from '@marketprep/integrations';
import { SquareSyncRepository, withTenant } from '@marketprep/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem, joinAs } from '../markets/catalog-test-helpers';
import {
  TEST_SQUARE_SIGNATURE_KEY,
  TEST_SQUARE_WEBHOOK_URL,
  startSquareForTests,
} from './square-testing';

let h: Harness;
let square: Awaited<ReturnType<typeof startSquareForTests>>;
let admin: pg.Client;
let owner: Agent;
let staff: Agent;
let stranger: Agent;
const publicUrl = 'http://app.marketprep.test';

beforeAll(async () => {
  square = await startSquareForTests();
  h = await createHarness({ square: square.config, publicUrl, rateLimit: false });
  admin = new pg.Client({ connectionString: h.db.adminUrl });
  await admin.connect();
  owner = await h.signup({ vendorName: 'Square Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Other Farm' });
});
afterAll(async () => {
  await admin.end();
  await h.close();
  await square.stop();
});

const fake = (): SquareFake => square.fake;

/** Connect → Square consent (the fake) → callback, as `agent`. */
async function connect(agent: Agent) {
  const started = await h.call(agent, 'GET', '/v1/integrations/square/connect');
  expect(started.statusCode, started.body).toBe(200);
  const authorizeUrl = started.json<{ authorizeUrl: string }>().authorizeUrl;
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get('location')!);
  return h.call(agent, 'GET', `${back.pathname}${back.search}`);
}

async function outboxRows(jobName = 'square-sync') {
  const { rows } = await admin.query<{
    payload: { vendorId: string; connectionId: string; mode: string };
    dedupe_key: string | null;
    status: string;
  }>('SELECT payload, dedupe_key, status FROM outbox WHERE job_name = $1 ORDER BY created_at', [
    jobName,
  ]);
  return rows;
}

describe('Square connect (OAuth against the fake)', () => {
  it('asks for minimal scopes with a state; owners only, in person', async () => {
    const response = await h.call(owner, 'GET', '/v1/integrations/square/connect');
    const url = new URL(response.json<{ authorizeUrl: string }>().authorizeUrl);
    expect(url.origin).toBe(fake().baseUrl);
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(url.searchParams.get('scope')).toBe(
      'MERCHANT_PROFILE_READ ITEMS_READ ORDERS_READ PAYMENTS_READ',
    );
    expect(url.searchParams.get('state')!.length).toBeGreaterThan(40);
    expectProblem(await h.call(staff, 'GET', '/v1/integrations/square/connect'), 403);
    expectProblem(await h.call(null, 'GET', '/v1/integrations/square/connect'), 401);
  });

  it('refuses a state from another session, a forged one, and a missing one, storing nothing', async () => {
    const started = await h.call(owner, 'GET', '/v1/integrations/square/connect');
    const consent = await fetch(started.json<{ authorizeUrl: string }>().authorizeUrl, {
      redirect: 'manual',
    });
    const back = new URL(consent.headers.get('location')!);
    const path = `${back.pathname}${back.search}`;
    // Same owner, another browser session: the state is bound to the session.
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: owner.email,
      password: 'a long enough password',
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'mp_session')!;
    const otherSession = { ...owner, cookie: `mp_session=${cookie.value}` };
    expectProblem(await h.call(otherSession, 'GET', path), 400);
    expectProblem(await h.call(stranger, 'GET', path), 400);
    const state = back.searchParams.get('state')!;
    const forged = path.replace(state, `${state.slice(0, -3)}abc`);
    expectProblem(await h.call(owner, 'GET', forged), 400);
    expectProblem(await h.call(owner, 'GET', '/v1/integrations/square/callback?code=x'), 400);
    expectProblem(await h.call(null, 'GET', path), 401);
    const { rows } = await admin.query('SELECT 1 FROM provider_connections');
    expect(rows).toHaveLength(0);
  });

  it('stores the connection with encrypted tokens, requests a backfill, redirects to settings', async () => {
    const response = await connect(owner);
    expect(response.statusCode, response.body).toBe(302);
    expect(response.headers.location).toBe(`${publicUrl}/settings/integrations?square=connected`);

    const { rows } = await admin.query<{
      id: string;
      vendor_id: string;
      status: string;
      external_account_id: string;
      scopes: string[];
      encryption_key_id: string;
    }>('SELECT * FROM provider_connections');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      vendor_id: owner.vendorId,
      status: 'ACTIVE',
      external_account_id: fake().merchantId,
      scopes: ['MERCHANT_PROFILE_READ', 'ITEMS_READ', 'ORDERS_READ', 'PAYMENTS_READ'],
      encryption_key_id: 't1',
    });
    const sealed = await admin.query<{ t: Buffer }>(
      'SELECT access_token_encrypted AS t FROM provider_connections',
    );
    expect(square.config.cipher.decrypt(sealed.rows[0]!.t)).toBe(fake().issuedAccessTokens.at(-1));

    // The canary: neither token appears in clear in any text or bytea column of the table.
    const columns = await admin.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'provider_connections'
         AND data_type IN ('text', 'bytea', 'jsonb', 'ARRAY', 'character varying')`,
    );
    expect(columns.rows.map((c) => c.column_name)).toEqual(
      expect.arrayContaining([
        'access_token_encrypted',
        'refresh_token_encrypted',
        'external_account_id',
        'sync_cursor',
        'last_error',
        'scopes',
      ]),
    );
    for (const token of [fake().issuedAccessTokens.at(-1)!, fake().issuedRefreshTokens.at(-1)!]) {
      for (const { column_name: column, data_type: type } of columns.rows) {
        const asText = type === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
        const hit = await admin.query(
          `SELECT 1 FROM provider_connections WHERE position($1 in coalesce(${asText}, '')) > 0`,
          [token],
        );
        expect(hit.rows, `${column} holds the token in clear`).toHaveLength(0);
      }
      const elsewhere = await admin.query(
        `SELECT 1 FROM outbox WHERE payload::text LIKE '%' || $1 || '%'
         UNION ALL SELECT 1 FROM audit_log WHERE coalesce(metadata::text, '') LIKE '%' || $1 || '%'`,
        [token],
      );
      expect(elsewhere.rows).toHaveLength(0);
    }

    const outbox = await outboxRows();
    expect(outbox).toEqual([
      {
        payload: { vendorId: owner.vendorId, connectionId: rows[0]!.id, mode: 'backfill' },
        dedupe_key: `square-sync:${rows[0]!.id}`,
        status: 'PENDING',
      },
    ]);
  });

  it('shows status and backfill progress to staff; nothing for another vendor', async () => {
    await admin.query(`UPDATE provider_connections SET sync_cursor = $1`, [
      JSON.stringify({
        version: 1,
        mode: 'backfill',
        startedAt: '2026-11-22T10:00:00.000Z',
        pagesDone: 7,
        ordersSoFar: 3500,
        linesWritten: 7000,
        returnsApplied: 12,
        unmappedLines: 3,
        lastClosedAt: '2025-02-01T15:00:00Z',
        done: false,
        completedAt: null,
      }),
    ]);
    const response = await h.call(staff, 'GET', '/v1/integrations/square');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      configured: true,
      connected: true,
      status: 'ACTIVE',
      merchantId: fake().merchantId,
      sync: { mode: 'backfill', running: true, pagesDone: 7, ordersSoFar: 3500, unmappedLines: 3 },
    });
    expect(response.body).not.toContain('Encrypted');
    const other = await h.call(stranger, 'GET', '/v1/integrations/square');
    expect(other.json()).toMatchObject({ connected: false, status: 'NOT_CONNECTED', sync: null });
    expectProblem(await h.call(null, 'GET', '/v1/integrations/square'), 401);
  });
});

describe('Square mapping', () => {
  it('suggests markets and products by name and applies the owner’s choice in one go', async () => {
    const vendorId = owner.vendorId!;
    const ids = await withTenant(h.db.app.prisma, vendorId, async (tx) => {
      const market = await tx.market.create({
        data: {
          vendorId,
          name: 'union square greenmarket',
          latitude: 40.7,
          longitude: -73.9,
          timezone: 'America/New_York',
          countryCode: 'US',
        },
      });
      const product = await tx.product.create({
        data: { vendorId, name: 'Sourdough (Loaf)', priceMinor: 900 },
      });
      return { marketId: market.id, productId: product.id };
    });
    const suggestions = await h.call(staff, 'GET', '/v1/integrations/square/mapping');
    expect(suggestions.statusCode, suggestions.body).toBe(200);
    const body = suggestions.json<{
      locations: {
        locationId: string;
        suggestedMarketId: string | null;
        marketId: string | null;
      }[];
      variations: {
        variationId: string;
        suggestedProductId: string | null;
        suggestedName: string;
      }[];
    }>();
    expect(body.locations.find((l) => l.locationId === 'LFAKEUNIONSQ01')).toMatchObject({
      marketId: null,
      suggestedMarketId: ids.marketId,
    });
    expect(body.variations.find((v) => v.variationId === 'VFAKE0001')).toMatchObject({
      suggestedProductId: ids.productId,
      suggestedName: 'Sourdough (Loaf)',
    });
    expect(body.variations.find((v) => v.variationId === 'VFAKE0003')!.suggestedName).toBe(
      'Baguette',
    );

    expectProblem(
      await h.call(staff, 'PUT', '/v1/integrations/square/mapping', {
        locations: [],
        variations: [],
      }),
      403,
    );
    const unknown = expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        locations: [{ locationId: 'LNOTMINE', marketId: ids.marketId }],
      }),
      400,
    );
    expect(unknown.errors?.[0]?.path).toBe('locations.0.locationId');
    const strangerMarket = await withTenant(h.db.app.prisma, stranger.vendorId!, (tx) =>
      tx.market.create({
        data: {
          vendorId: stranger.vendorId!,
          name: 'Their market',
          latitude: 1,
          longitude: 1,
          timezone: 'UTC',
          countryCode: 'US',
        },
      }),
    );
    expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        locations: [{ locationId: 'LFAKEUNIONSQ01', marketId: strangerMarket.id }],
      }),
      404,
    );
    expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        locations: [{ locationId: 'LFAKEUNIONSQ01', marketId: 'not-a-uuid' }],
      }),
      400,
    );
    const untouched = await admin.query(
      'SELECT 1 FROM markets WHERE square_location_id IS NOT NULL',
    );
    expect(untouched.rows).toHaveLength(0);

    const saved = await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
      locations: [
        { locationId: 'LFAKEUNIONSQ01', marketId: ids.marketId },
        { locationId: 'LFAKEGRANDARMY', createMarket: true },
      ],
      variations: [
        { variationId: 'VFAKE0001', productId: ids.productId },
        { variationId: 'VFAKE0003', createProduct: true },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ backfillRequested: true });
    const markets = await admin.query<{
      name: string;
      square_location_id: string;
      timezone: string;
    }>(
      'SELECT name, square_location_id, timezone FROM markets WHERE vendor_id = $1 AND square_location_id IS NOT NULL ORDER BY name',
      [vendorId],
    );
    expect(markets.rows).toEqual([
      {
        name: 'Grand Army Plaza',
        square_location_id: 'LFAKEGRANDARMY',
        timezone: 'America/New_York',
      },
      {
        name: 'union square greenmarket',
        square_location_id: 'LFAKEUNIONSQ01',
        timezone: 'America/New_York',
      },
    ]);
    const products = await admin.query<{
      name: string;
      square_variation_id: string;
      price_minor: number;
    }>(
      'SELECT name, square_variation_id, price_minor FROM products WHERE vendor_id = $1 AND square_variation_id IS NOT NULL ORDER BY name',
      [vendorId],
    );
    expect(products.rows).toEqual([
      { name: 'Baguette', square_variation_id: 'VFAKE0003', price_minor: 400 },
      { name: 'Sourdough (Loaf)', square_variation_id: 'VFAKE0001', price_minor: 900 },
    ]);
    // The pending backfill request is reused (dedupe key), not doubled.
    const pending = (await outboxRows()).filter((r) => r.status === 'PENDING');
    expect(pending).toHaveLength(1);
  });

  it('remembers "not a market" and "don\'t track", counts no sales for them, and forgets on a new answer', async () => {
    const vendorId = owner.vendorId!;
    type Mapping = {
      locations: { locationId: string; marketId: string | null; ignored: boolean }[];
      variations: { variationId: string; productId: string | null; ignored: boolean }[];
    };
    const ignoredColumns = async () =>
      (
        await admin.query<{ locations: string[]; variations: string[] }>(
          'SELECT ignored_square_location_ids AS locations, ignored_square_variation_ids AS variations FROM provider_connections WHERE vendor_id = $1',
          [vendorId],
        )
      ).rows[0];

    // Two answers for one entry, or the same id twice: 400, and nothing is written.
    const both = expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        locations: [{ locationId: 'LFAKEGRANDARMY', createMarket: true, ignore: true }],
        variations: [{ variationId: 'VFAKE0002', ignore: true }],
      }),
      400,
    );
    expect(both.errors).toEqual([
      { path: 'locations.0', message: 'Choose one: a market, a new market, or not a market' },
    ]);
    const twice = expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        variations: [
          { variationId: 'VFAKE0002', ignore: true },
          { variationId: 'VFAKE0002', createProduct: true },
        ],
      }),
      400,
    );
    expect(twice.errors?.map((e) => e.path)).toEqual(['variations.1.variationId']);
    expectProblem(
      await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
        locations: [{ locationId: 'LFAKEGRANDARMY', ignore: 'yes' }],
      }),
      400,
    );
    expect(await ignoredColumns()).toEqual({ locations: [], variations: [] });

    // Grand Army Plaza (mapped to a market before) is not a market; the half loaf is not tracked.
    const saved = await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
      locations: [{ locationId: 'LFAKEGRANDARMY', ignore: true }],
      variations: [{ variationId: 'VFAKE0002', ignore: true }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = saved.json<Mapping>();
    expect(after.locations.find((l) => l.locationId === 'LFAKEGRANDARMY')).toMatchObject({
      marketId: null,
      ignored: true,
    });
    expect(after.locations.find((l) => l.locationId === 'LFAKEUNIONSQ01')).toMatchObject({
      ignored: false,
    });
    expect(after.variations.find((v) => v.variationId === 'VFAKE0002')).toMatchObject({
      productId: null,
      ignored: true,
    });
    expect(await ignoredColumns()).toEqual({
      locations: ['LFAKEGRANDARMY'],
      variations: ['VFAKE0002'],
    });
    // The market created for it keeps its history but no longer receives Square sales: the sync
    // reads only mapped locations and variations.
    const mapped = await withTenant(h.db.app.prisma, vendorId, async (tx) => {
      const repo = new SquareSyncRepository(tx);
      return { locations: await repo.mappedLocations(), variations: await repo.mappedVariations() };
    });
    expect([...mapped.locations.keys()]).toEqual(['LFAKEUNIONSQ01']);
    expect([...mapped.variations.keys()].sort()).toEqual(['VFAKE0001', 'VFAKE0003']);
    // Staff see the same answers; the status shows the requested backfill as running.
    const seen = (await h.call(staff, 'GET', '/v1/integrations/square/mapping')).json<Mapping>();
    expect(seen.locations.find((l) => l.locationId === 'LFAKEGRANDARMY')!.ignored).toBe(true);
    const status = await h.call(staff, 'GET', '/v1/integrations/square');
    expect(status.json()).toMatchObject({
      sync: { mode: 'backfill', running: true, pagesDone: 0, ordersSoFar: 0 },
    });

    // A later answer for the location (unmapped: null) forgets "not a market"; the variation
    // not named in this save stays ignored.
    const reopened = await h.call(owner, 'PUT', '/v1/integrations/square/mapping', {
      locations: [{ locationId: 'LFAKEGRANDARMY', marketId: null }],
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(await ignoredColumns()).toEqual({ locations: [], variations: ['VFAKE0002'] });
    expect(
      reopened.json<Mapping>().locations.find((l) => l.locationId === 'LFAKEGRANDARMY'),
    ).toMatchObject({ marketId: null, ignored: false });
  });
});

describe('POST /v1/webhooks/square', () => {
  const send = (rawBody: string, signature?: string) =>
    h.app.inject({
      method: 'POST',
      url: '/v1/webhooks/square',
      payload: rawBody,
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'x-square-hmacsha256-signature': signature }),
      },
    });
  const counts = async () => {
    const events = await admin.query<{ n: string }>('SELECT count(*) AS n FROM webhook_events');
    const outbox = await admin.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    return { events: Number(events.rows[0]!.n), outbox: Number(outbox.rows[0]!.n) };
  };

  it('answers 401 to a forged, missing or wrong-URL signature and writes nothing', async () => {
    await admin.query(`UPDATE outbox SET status = 'DISPATCHED'`);
    const before = await counts();
    const event = fake().buildWebhook({
      signatureKey: TEST_SQUARE_SIGNATURE_KEY,
      notificationUrl: TEST_SQUARE_WEBHOOK_URL,
      type: 'payment.updated',
    });
    const flipped = `${event.signature.slice(0, 10)}${event.signature[10] === 'A' ? 'B' : 'A'}${event.signature.slice(11)}`;
    const wrongUrl = fake().buildWebhook({
      signatureKey: TEST_SQUARE_SIGNATURE_KEY,
      notificationUrl: 'https://evil.test/v1/webhooks/square',
      type: 'payment.updated',
    });
    for (const response of [
      await send(event.rawBody, flipped),
      await send(event.rawBody),
      await send(`${event.rawBody} `, event.signature),
      await send(wrongUrl.rawBody, wrongUrl.signature),
    ]) {
      expectProblem(response, 401);
    }
    expect(await counts()).toEqual(before);
  });

  it('records each event once and requests one sync per connection, however replayed and shuffled', async () => {
    // A second business connected to another merchant.
    const otherVendor = stranger.vendorId!;
    const other = await withTenant(h.db.app.prisma, otherVendor, (tx) =>
      tx.providerConnection.create({
        data: {
          vendorId: otherVendor,
          provider: 'SQUARE',
          externalAccountId: 'MLOTHERMERCHANT',
          scopes: [],
          accessTokenEncrypted: new Uint8Array(square.config.cipher.encrypt('other-token')),
          encryptionKeyId: 't1',
        },
      }),
    );
    const otherFake = createSquareFake({ merchantId: 'MLOTHERMERCHANT' });
    const unknownFake = createSquareFake({ merchantId: 'MLNOBODY' });
    const build = (source: SquareFake, type: 'payment.updated' | 'order.updated') =>
      source.buildWebhook({
        signatureKey: TEST_SQUARE_SIGNATURE_KEY,
        notificationUrl: TEST_SQUARE_WEBHOOK_URL,
        type,
      });
    const events = [
      build(fake(), 'payment.updated'),
      build(fake(), 'order.updated'),
      build(otherFake, 'payment.updated'),
      build(unknownFake, 'order.updated'),
    ];
    const deliveries = events.flatMap((event) => Array.from({ length: 10 }, () => event));
    // Deterministic shuffle.
    let seed = 7;
    for (let i = deliveries.length - 1; i > 0; i -= 1) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const j = seed % (i + 1);
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const before = await counts();
    const answers = await Promise.all(
      deliveries.slice(0, 20).map((d) => send(d.rawBody, d.signature)),
    );
    for (const d of deliveries.slice(20)) answers.push(await send(d.rawBody, d.signature));
    expect(answers.map((a) => a.statusCode)).toEqual(deliveries.map(() => 200));
    expect(
      answers.filter((a) => a.json<{ duplicate: boolean }>().duplicate === false),
    ).toHaveLength(4);

    const recorded = await admin.query<{ event_id: string; external_account_id: string }>(
      'SELECT event_id, external_account_id FROM webhook_events',
    );
    expect(recorded.rows.map((r) => r.event_id).sort()).toEqual(
      events.map((e) => e.eventId).sort(),
    );
    const pending = (await outboxRows()).filter((r) => r.status === 'PENDING');
    const connection = await admin.query<{ id: string }>(
      'SELECT id FROM provider_connections WHERE vendor_id = $1',
      [owner.vendorId],
    );
    expect(
      pending.map((r) => r.payload).sort((a, b) => a.vendorId.localeCompare(b.vendorId)),
    ).toEqual(
      [
        { vendorId: owner.vendorId, connectionId: connection.rows[0]!.id, mode: 'incremental' },
        { vendorId: otherVendor, connectionId: other.id, mode: 'incremental' },
      ].sort((a, b) => a.vendorId!.localeCompare(b.vendorId!)),
    );
    expect((await counts()).events - before.events).toBe(4);
  });

  it('answers 400 to a signed body that is not a Square notification', async () => {
    const { signSquareWebhook } = await import('@marketprep/integrations');
    const rawBody = JSON.stringify({ hello: 'world' });
    const signature = signSquareWebhook({
      signatureKey: TEST_SQUARE_SIGNATURE_KEY,
      notificationUrl: TEST_SQUARE_WEBHOOK_URL,
      rawBody,
    });
    expectProblem(await send(rawBody, signature), 400);
  });
});

describe('Square disconnect', () => {
  it('revokes at Square, deletes the tokens, marks REVOKED; staff cannot', async () => {
    expectProblem(await h.call(staff, 'DELETE', '/v1/integrations/square'), 403);
    const token = fake().issuedAccessTokens.at(-1)!;
    expect(fake().activeAccessTokens.has(token)).toBe(true);
    const response = await h.call(owner, 'DELETE', '/v1/integrations/square');
    expect(response.statusCode, response.body).toBe(204);
    expect(fake().revokedAccessTokens).toContain(token);
    expect(fake().activeAccessTokens.has(token)).toBe(false);
    const { rows } = await admin.query(
      `SELECT status, access_token_encrypted, refresh_token_encrypted, encryption_key_id
       FROM provider_connections WHERE vendor_id = $1`,
      [owner.vendorId],
    );
    expect(rows).toEqual([
      {
        status: 'REVOKED',
        access_token_encrypted: null,
        refresh_token_encrypted: null,
        encryption_key_id: null,
      },
    ]);
    expectProblem(await h.call(owner, 'DELETE', '/v1/integrations/square'), 404);
    const status = await h.call(owner, 'GET', '/v1/integrations/square');
    expect(status.json()).toMatchObject({ connected: false, status: 'REVOKED' });
  });
});

describe('Square not configured', () => {
  it('answers 503 problems', async () => {
    const bare = await createHarness({ rateLimit: false, square: undefined });
    try {
      const agent = await bare.signup({ vendorName: 'No Square' });
      const connect = expectProblem(
        await bare.call(agent, 'GET', '/v1/integrations/square/connect'),
        503,
      );
      expect(connect.detail).toBe('Square is not configured.');
      const webhook = await bare.app.inject({
        method: 'POST',
        url: '/v1/webhooks/square',
        payload: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(webhook, 503);
      const status = await bare.call(agent, 'GET', '/v1/integrations/square');
      expect(status.json()).toMatchObject({ configured: false, connected: false });
    } finally {
      await bare.close();
    }
  });
});
