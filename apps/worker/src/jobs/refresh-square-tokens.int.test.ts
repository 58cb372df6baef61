import { randomBytes, randomUUID } from 'node:crypto';
import { withTenant } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import {
  ProviderBreaker,
  TokenCipher,
  createSquareClient,
  createSquareFake,
  parseTokenKeyRing,
  type SquareApi,
  type SquareFake,
} from '@marketprep/integrations';
import { UnrecoverableError } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createRefreshSquareTokenHandler,
  createRefreshSquareTokensHandler,
} from './refresh-square-tokens.handler';
import { createSquareSyncHandler } from './square-sync.handler';

// Token refresh against the Square fake: the daily schedule requests a refresh for connections
// expiring within 7 days; the refresh stores new tokens sealed with the CURRENT key (rotation);
// a failing Square marks the connection REFRESH_FAILED and notifies the vendor once a day.
const now = new Date('2026-11-22T12:00:00Z');
const DAY = 86_400_000;
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
/** The key ring before rotation (k1 current) and after (k2 current, k1 still readable). */
const oldCipher = new TokenCipher(parseTokenKeyRing(`k1:${k1}`, 'k1'));
const cipher = new TokenCipher(parseTokenKeyRing(`k1:${k1},k2:${k2}`, 'k2'));
let db: TestDatabase;
let admin: pg.Client;
let fake: SquareFake;
let square: SquareApi;

const deps = () => ({ db: db.app, square, cipher, now: () => now });

async function connectVendor(expiresInMs: number) {
  const vendorId = randomUUID();
  const authorize = await fetch(
    square.authorizeUrl({ state: 's', redirectUri: 'http://127.0.0.1:9/cb' }),
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
  const tokens = await square.exchangeCode({ code });
  const connectionId = await withTenant(db.app.prisma, vendorId, async (tx) => {
    await tx.vendor.create({ data: { id: vendorId, name: 'Bakery', slug: `v-${vendorId}` } });
    const location = fake.locations[0]!;
    await tx.market.create({
      data: {
        vendorId,
        name: location.name,
        latitude: location.latitude,
        longitude: location.longitude,
        timezone: location.timezone,
        countryCode: 'US',
        squareLocationId: location.id,
      },
    });
    const connection = await tx.providerConnection.create({
      data: {
        vendorId,
        provider: 'SQUARE',
        externalAccountId: `${fake.merchantId}-${vendorId.slice(0, 8)}`,
        scopes: ['ORDERS_READ'],
        accessTokenEncrypted: new Uint8Array(oldCipher.encrypt(tokens.accessToken)),
        refreshTokenEncrypted: new Uint8Array(oldCipher.encrypt(tokens.refreshToken!)),
        encryptionKeyId: 'k1',
        tokenExpiresAt: new Date(now.getTime() + expiresInMs),
      },
    });
    return connection.id;
  });
  return { vendorId, connectionId, accessToken: tokens.accessToken };
}

async function connectionRow(connectionId: string) {
  const { rows } = await admin.query<{
    status: string;
    last_error: string | null;
    access_token_encrypted: Buffer;
    refresh_token_encrypted: Buffer;
    encryption_key_id: string;
    token_expires_at: Date;
  }>(
    `SELECT status, last_error, access_token_encrypted, refresh_token_encrypted,
            encryption_key_id, token_expires_at
       FROM provider_connections WHERE id = $1`,
    [connectionId],
  );
  return rows[0]!;
}

const notificationsOf = async (vendorId: string) =>
  (
    await admin.query<{ kind: string; dedupe_key: string }>(
      `SELECT kind, dedupe_key FROM notifications WHERE vendor_id = $1`,
      [vendorId],
    )
  ).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  fake = createSquareFake({
    orders: { count: 40, from: '2026-11-01', to: '2026-11-20' },
    now: () => now,
  });
  await fake.start();
});
beforeEach(() => {
  fake.setMode('ok');
  // A fresh breaker per test, so one test's failures do not open it for the next.
  square = createSquareClient({
    baseUrl: fake.baseUrl,
    applicationId: fake.applicationId,
    applicationSecret: fake.applicationSecret,
    breaker: new ProviderBreaker('square'),
    backoff: { baseMs: 1, maxMs: 5 },
  });
});
afterAll(async () => {
  await fake.stop();
  await admin.end();
  await db.drop();
});

describe('refresh-square-tokens', () => {
  it('requests a refresh for a token expiring within 7 days, then stores new tokens under the current key', async () => {
    const due = await connectVendor(3 * DAY);
    const fresh = await connectVendor(20 * DAY);
    // Not due but sealed with the old key k1: re-sealed (key rotation), not refreshed.
    const before = await connectionRow(due.connectionId);
    const freshBefore = await connectionRow(fresh.connectionId);

    const scheduled = await createRefreshSquareTokensHandler(deps())({}, { jobId: 'schedule' });
    expect(scheduled).toMatchObject({ requested: 2 });
    const { rows: outbox } = await admin.query<{ payload: unknown; dedupe_key: string }>(
      `SELECT payload, dedupe_key FROM outbox WHERE job_name = 'refresh-square-token'
        ORDER BY dedupe_key`,
    );
    expect(outbox.map((r) => r.payload)).toEqual(
      expect.arrayContaining([
        { vendorId: due.vendorId, connectionId: due.connectionId },
        { vendorId: fresh.vendorId, connectionId: fresh.connectionId },
      ]),
    );
    // A rerun while the requests are pending adds nothing.
    expect(await createRefreshSquareTokensHandler(deps())({}, { jobId: 's2' })).toMatchObject({
      requested: 0,
    });

    const handler = createRefreshSquareTokenHandler(deps());
    const result = await handler(
      { vendorId: due.vendorId, connectionId: due.connectionId },
      { jobId: 'r1' },
    );
    expect(result).toMatchObject({ outcome: 'refreshed' });
    const after = await connectionRow(due.connectionId);
    expect(after.status).toBe('ACTIVE');
    expect(after.encryption_key_id).toBe('k2');
    expect(cipher.keyIdOf(after.access_token_encrypted)).toBe('k2');
    expect(Buffer.compare(after.access_token_encrypted, before.access_token_encrypted)).not.toBe(0);
    const newToken = cipher.decrypt(after.access_token_encrypted);
    expect(newToken).not.toBe(due.accessToken);
    expect(fake.activeAccessTokens.has(newToken)).toBe(true);
    expect(after.token_expires_at.getTime()).toBe(now.getTime() + 30 * DAY);
    expect(() => oldCipher.decrypt(after.access_token_encrypted)).toThrow();

    const resealed = await handler(
      { vendorId: fresh.vendorId, connectionId: fresh.connectionId },
      { jobId: 'r2' },
    );
    expect(resealed).toEqual({ outcome: 'resealed' });
    const freshAfter = await connectionRow(fresh.connectionId);
    expect(freshAfter.encryption_key_id).toBe('k2');
    expect(cipher.decrypt(freshAfter.access_token_encrypted)).toBe(fresh.accessToken);
    expect(freshAfter.token_expires_at.getTime()).toBe(freshBefore.token_expires_at.getTime());
    expect(await notificationsOf(due.vendorId)).toEqual([]);
  });

  it('a failing Square: REFRESH_FAILED with the reason and one notification a day; success recovers', async () => {
    const { vendorId, connectionId } = await connectVendor(2 * DAY);
    const handler = createRefreshSquareTokenHandler(deps());
    fake.setMode('error500');
    const payload = { vendorId, connectionId };
    // Retryable (5xx): thrown for the runtime to retry, not UnrecoverableError.
    const first = await handler(payload, { jobId: 'f1' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    expect(first).not.toBeInstanceOf(UnrecoverableError);
    await expect(handler(payload, { jobId: 'f2' })).rejects.toThrow();
    const failed = await connectionRow(connectionId);
    expect(failed.status).toBe('REFRESH_FAILED');
    expect(failed.last_error).toMatch(/^Token refresh failed: /);
    expect(failed.encryption_key_id).toBe('k1');
    expect(await notificationsOf(vendorId)).toEqual([
      {
        kind: 'sync.failing',
        dedupe_key: `sync-failing:${connectionId}:REFRESH_FAILED:2026-11-22`,
      },
    ]);

    fake.setMode('ok');
    await expect(handler(payload, { jobId: 'f3' })).resolves.toMatchObject({
      outcome: 'refreshed',
    });
    const recovered = await connectionRow(connectionId);
    expect(recovered.status).toBe('ACTIVE');
    expect(recovered.last_error).toBeNull();
  });

  it('a refresh token Square refuses (401) is final: UnrecoverableError', async () => {
    const { vendorId, connectionId } = await connectVendor(2 * DAY);
    await admin.query(
      `UPDATE provider_connections SET refresh_token_encrypted = $2 WHERE id = $1`,
      [connectionId, cipher.encrypt('EQAAfake-not-a-known-refresh-token')],
    );
    await expect(
      createRefreshSquareTokenHandler(deps())({ vendorId, connectionId }, { jobId: 'x' }),
    ).rejects.toBeInstanceOf(UnrecoverableError);
    expect((await connectionRow(connectionId)).status).toBe('REFRESH_FAILED');
    expect(await notificationsOf(vendorId)).toHaveLength(1);
  });

  it('square-sync refreshes a token expiring within a day before syncing', async () => {
    const { vendorId, connectionId, accessToken } = await connectVendor(6 * 3_600_000);
    const result = await createSquareSyncHandler({ ...deps(), pageSize: 100 })(
      { vendorId, connectionId, mode: 'backfill' },
      { jobId: 'sync' },
    );
    expect(result).toMatchObject({ mode: 'backfill' });
    const after = await connectionRow(connectionId);
    expect(after.encryption_key_id).toBe('k2');
    expect(after.token_expires_at.getTime()).toBe(now.getTime() + 30 * DAY);
    expect(cipher.decrypt(after.access_token_encrypted)).not.toBe(accessToken);
    // The search ran with the new token.
    const searches = fake.requests.filter((r) => r.path === '/v2/orders/search');
    expect(searches.length).toBeGreaterThan(0);
  });
});
