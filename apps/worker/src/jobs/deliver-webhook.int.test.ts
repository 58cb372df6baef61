import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MembershipsRepository,
  NotificationsRepository,
  UsersRepository,
  WebhooksRepository,
  WeekPlanRepository,
  emitWebhookEvent,
  listVendorIdsWithSecretsToReseal,
  withScope,
  withTenant,
} from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import {
  TokenCipher,
  generateWebhookSecret,
  parseTokenKeyRing,
  verifyWebhookSignature,
} from '@marketprep/integrations';
import { loadPlansConfig, type PlansConfig } from '@marketprep/planning';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../outbox/relay';
import {
  createDeliverWebhookHandler,
  nextAttemptAt,
  type WebhookRetryPolicy,
} from './deliver-webhook.handler';
import { deliverWebhookJob } from './deliver-webhook.job';
import type { RegisteredJob } from './registry';
import { createResealWebhookSecretsHandler } from './reseal-webhook-secrets.handler';

/**
 * Webhooks out end to end (issue 20): effects written through the real repositories fire the
 * SQL emission (same transaction), the outbox relay runs deliver-webhook in-process against a
 * receiver on loopback, and the clock is moved instead of waiting for the backoff.
 */

let db: TestDatabase;
let vendorId: string;
let ownerId: string;
// Outbox rows written by SQL are available from the database's now(): the clock starts there.
let clock = new Date();
const now = () => clock;
const loopbackPolicy = { allowLoopback: true, requireHttps: false };
const retry: Partial<WebhookRetryPolicy> = { baseMs: 60_000, maxMs: 3_600_000 };
// The token key ring as TOKEN_ENCRYPTION_KEYS gives it: k1 now; after a rotation k2 is current.
const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const cipher = new TokenCipher(parseTokenKeyRing(k1, 'k1'));
const rotated = new TokenCipher(parseTokenKeyRing(`${k1},${k2}`, 'k2'));

interface Received {
  body: string;
  signature: string | undefined;
  eventId: string | undefined;
  attempt: string | undefined;
}

/** A receiver on 127.0.0.1:0 that answers `status()` and records every request. */
async function startReceiver(status: () => number) {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({
        body,
        signature: req.headers['marketprep-signature'] as string | undefined,
        eventId: req.headers['marketprep-event-id'] as string | undefined,
        attempt: req.headers['marketprep-delivery-attempt'] as string | undefined,
      });
      res.writeHead(status()).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function relayWith(jobs: RegisteredJob[]) {
  return new OutboxRelay({
    db: db.app,
    jobs,
    mode: { kind: 'in-process' },
    logger: pino({ level: 'silent' }),
    now,
  });
}

function webhookJobs(options: {
  disableAfterFailures?: number;
  target?: typeof loopbackPolicy;
  cipher?: TokenCipher;
  plans?: PlansConfig;
}) {
  return [
    {
      definition: deliverWebhookJob,
      handler: createDeliverWebhookHandler({
        db: db.app,
        now,
        target: options.target ?? loopbackPolicy,
        retry: { ...retry, disableAfterFailures: options.disableAfterFailures ?? 100 },
        timeoutMs: 2_000,
        cipher: options.cipher ?? cipher,
        plans: options.plans,
      }),
    },
  ];
}

/** Runs the relay until nothing is due at the current clock. */
async function drain(relay: OutboxRelay) {
  for (let i = 0; i < 50 && (await relay.tick()) > 0; i += 1);
}

/** Registers an endpoint as the API does: the secret sealed with `sealWith` (default k1). */
async function createEndpoint(
  url: string,
  events: string[],
  options: { vendor?: string; sealWith?: TokenCipher } = {},
) {
  const secret = generateWebhookSecret();
  const sealWith = options.sealWith ?? cipher;
  const vendor = options.vendor ?? vendorId;
  const endpoint = await withTenant(db.app.prisma, vendor, (tx) =>
    new WebhooksRepository(tx).createEndpoint({
      vendorId: vendor,
      url,
      description: null,
      events,
      secretEncrypted: sealWith.encrypt(secret),
      encryptionKeyId: sealWith.currentKeyId,
    }),
  );
  return { id: endpoint.id, secret };
}

/** A row written before secrets were sealed (migration 20261211000300): the secret in clear. */
async function createLegacyEndpoint(vendor: string, url: string, events: string[]) {
  const secret = generateWebhookSecret();
  const [row] = await db.adminQuery<{ id: string }>(
    `INSERT INTO webhook_endpoints (vendor_id, url, events, secret) VALUES ($1, $2, $3, $4)
     RETURNING id`,
    [vendor, url, events, secret],
  );
  return { id: row!.id, secret };
}

/** A business with its owner (no market: the webhook jobs must not need one). */
async function createVendor(name: string): Promise<{ vendorId: string; ownerId: string }> {
  const userId = (await new UsersRepository(db.app.prisma).createUser({
    email: `hook-owner-${randomUUID().slice(0, 8)}@example.com`,
    name: `${name} Owner`,
    passwordHash: 'x',
  }))!.id;
  const id = randomUUID();
  await withScope(db.app.prisma, { vendorId: id, userId }, (tx) =>
    new MembershipsRepository(tx).createVendorWithOwner({
      vendorId: id,
      userId,
      name,
      slug: `hook-${id.slice(0, 8)}`,
    }),
  );
  return { vendorId: id, ownerId: userId };
}

/** How each endpoint's secret is stored, as the database holds it. */
async function storedSecrets(vendor: string) {
  return db.adminQuery<{
    id: string;
    secret: string | null;
    secret_encrypted: Buffer | null;
    encryption_key_id: string | null;
    row: string;
  }>(
    `SELECT id, secret, secret_encrypted, encryption_key_id, row_to_json(e)::text AS row
       FROM webhook_endpoints e WHERE vendor_id = $1 ORDER BY id`,
    [vendor],
  );
}

/** Asserts a request's signature verifies with `secret` (and not with another). */
function expectSignedWith(request: Received, secret: string) {
  const sentAt = Number(/t=(\d+)/.exec(request.signature ?? '')?.[1]);
  expect(
    verifyWebhookSignature({
      secret,
      body: request.body,
      header: request.signature,
      nowSeconds: sentAt + 10,
    }),
  ).toBeUndefined();
  expect(
    verifyWebhookSignature({
      secret: generateWebhookSecret(),
      body: request.body,
      header: request.signature,
      nowSeconds: sentAt,
    }),
  ).toBe('no-matching-signature');
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ vendorId, ownerId } = await createVendor('Hook Bakery'));
});
afterAll(() => db.drop());

describe('deliver-webhook', () => {
  it('delivers each event once in effect, signed, through a receiver outage and retries', async () => {
    let up = false;
    const receiver = await startReceiver(() => (up ? 200 : 503));
    const { id: endpointId, secret } = await createEndpoint(receiver.url, [
      'alert.created',
      'sync.failed',
      'model.retrained',
    ]);
    const relay = relayWith(webhookJobs({}));
    try {
      // Effects, each through the code that writes it; the alert twice (same dedupe key: one
      // notification, so one event), and an alert kind nobody subscribed to for another type.
      await withTenant(db.app.prisma, vendorId, async (tx) => {
        const notifications = new NotificationsRepository(tx);
        for (let i = 0; i < 2; i += 1) {
          await notifications.createNotification({
            vendorId,
            kind: 'weather.heavy_rain',
            title: 'Heavy rain forecast for Riverside on Sat, Jun 13',
            body: '80% chance of rain.',
            data: { marketId: randomUUID(), date: '2026-06-13' },
            dedupeKey: 'heavy-rain:riverside:2026-06-13',
          });
        }
        await notifications.createNotification({
          vendorId,
          kind: 'billing.trial_ending',
          title: 'Trial ends soon',
          body: 'Not an alert.',
        });
      });
      await db.adminQuery(
        `INSERT INTO provider_connections (vendor_id, provider, external_account_id, scopes)
         VALUES ($1, 'SQUARE', $2, '{}')`,
        [vendorId, `merchant-${vendorId.slice(0, 8)}`],
      );
      // The sync turns to ERROR as the app role does it (RLS scoped), twice: one transition.
      for (let i = 0; i < 2; i += 1) {
        await withTenant(db.app.prisma, vendorId, (tx) =>
          tx.providerConnection.updateMany({
            data: { status: 'ERROR', lastError: 'Square answered 500' },
          }),
        );
      }
      // A retrain that fails emits nothing; one that activates emits model.retrained.
      await withTenant(db.app.prisma, vendorId, async (tx) => {
        await tx.modelVersion.create({
          data: { vendorId, engineVersion: 'test', status: 'FAILED', error: 'too little data' },
        });
        const model = await tx.modelVersion.create({
          data: { vendorId, engineVersion: 'test', status: 'TRAINING' },
        });
        await tx.modelVersion.update({ where: { id: model.id }, data: { status: 'ACTIVE' } });
      });
      // A transaction that rolls back leaves no event behind.
      await expect(
        withTenant(db.app.prisma, vendorId, async (tx) => {
          await emitWebhookEvent(tx, { vendorId, type: 'alert.created', data: {}, now: clock });
          throw new Error('effect failed');
        }),
      ).rejects.toThrow('effect failed');

      // Outage: every first attempt gets a 503 and is scheduled again.
      clock = new Date(Date.now() + 1_000);
      await drain(relay);
      expect(receiver.received).toHaveLength(3);
      const log = () =>
        withTenant(db.app.prisma, vendorId, (tx) =>
          new WebhooksRepository(tx).listDeliveries({ endpointId, limit: 50 }),
        );
      for (const delivery of await log()) {
        expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 503 });
        expect(delivery.nextAttemptAt!.getTime() - clock.getTime()).toBeGreaterThanOrEqual(54_000);
      }
      // Still down a minute later: second attempts, backoff doubles.
      clock = new Date(clock.getTime() + 70_000);
      await drain(relay);
      expect(receiver.received).toHaveLength(6);
      for (const delivery of await log()) {
        expect(delivery.attempts).toBe(2);
        expect(delivery.nextAttemptAt!.getTime() - clock.getTime()).toBeGreaterThanOrEqual(108_000);
      }
      // Nothing is due before the backoff ends.
      clock = new Date(clock.getTime() + 60_000);
      await drain(relay);
      expect(receiver.received).toHaveLength(6);
      // The receiver is back: each event arrives and succeeds, and no more attempts follow.
      up = true;
      clock = new Date(clock.getTime() + 120_000);
      await drain(relay);
      clock = new Date(clock.getTime() + 24 * 3_600_000);
      await drain(relay);
      expect(receiver.received).toHaveLength(9);
      const deliveries = await log();
      expect(deliveries.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);

      const events = new Map<string, { type: string; data: Record<string, unknown> }>();
      for (const request of receiver.received) {
        // Each request verifies against the endpoint's secret at the time it was sent.
        const sentAt = Number(/t=(\d+)/.exec(request.signature ?? '')?.[1]);
        expect(
          verifyWebhookSignature({
            secret,
            body: request.body,
            header: request.signature,
            nowSeconds: sentAt + 10,
          }),
        ).toBeUndefined();
        expect(
          verifyWebhookSignature({
            secret: generateWebhookSecret(),
            body: request.body,
            header: request.signature,
            nowSeconds: sentAt,
          }),
        ).toBe('no-matching-signature');
        const event = JSON.parse(request.body) as {
          id: string;
          type: string;
          vendorId: string;
          data: Record<string, unknown>;
        };
        expect(event.vendorId).toBe(vendorId);
        expect(request.eventId).toBe(event.id);
        events.set(event.id, event);
      }
      // Three distinct events (the same id on each of its three attempts), one per effect.
      expect([...events.values()].map((e) => e.type).sort()).toEqual([
        'alert.created',
        'model.retrained',
        'sync.failed',
      ]);
      const byType = new Map([...events.values()].map((e) => [e.type, e.data]));
      expect(byType.get('alert.created')).toMatchObject({ kind: 'weather.heavy_rain' });
      expect(byType.get('sync.failed')).toMatchObject({ status: 'ERROR', provider: 'SQUARE' });
      expect(receiver.received.filter((r) => r.attempt === '3')).toHaveLength(3);
      const endpoint = await withTenant(db.app.prisma, vendorId, (tx) =>
        new WebhooksRepository(tx).findEndpoint(endpointId),
      );
      expect(endpoint).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    } finally {
      await relay.close();
      await receiver.close();
      await withTenant(db.app.prisma, vendorId, (tx) =>
        new WebhooksRepository(tx).deleteEndpoint(endpointId),
      );
    }
  });

  it('turns an endpoint off after repeated failure and tells each owner; resend needs it on', async () => {
    const receiver = await startReceiver(() => 500);
    const { id: endpointId } = await createEndpoint(receiver.url, ['alert.created']);
    const relay = relayWith(webhookJobs({ disableAfterFailures: 3 }));
    try {
      await withTenant(db.app.prisma, vendorId, async (tx) => {
        for (const day of ['2026-06-20', '2026-06-27']) {
          await new NotificationsRepository(tx).createNotification({
            vendorId,
            kind: 'event.big',
            title: `Big event on ${day}`,
            body: 'Crowds.',
            dedupeKey: `big-event:${day}`,
          });
        }
      });
      clock = new Date(Date.now() + 1_000);
      await drain(relay); // 2 failures
      clock = new Date(clock.getTime() + 70_000);
      await drain(relay); // the third failure in a row turns it off
      const state = await withTenant(db.app.prisma, vendorId, async (tx) => ({
        endpoint: await new WebhooksRepository(tx).findEndpoint(endpointId),
        deliveries: await new WebhooksRepository(tx).listDeliveries({ endpointId, limit: 10 }),
        notices: await tx.notification.findMany({
          where: { kind: 'webhook_endpoint_disabled' },
          select: { userId: true, body: true, data: true },
        }),
      }));
      expect(state.endpoint).toMatchObject({ enabled: false });
      expect(state.endpoint?.disabledReason).toMatch(/3 failed attempts in a row/);
      expect(state.deliveries.map((d) => d.status)).toEqual(['failed', 'failed']);
      expect(state.notices).toEqual([
        expect.objectContaining({ userId: ownerId, data: { endpointId } }),
      ]);
      expect(state.notices[0]?.body).toContain(receiver.url);
      // Nothing more is sent to an endpoint that is off, however long we wait.
      const sent = receiver.received.length;
      clock = new Date(clock.getTime() + 6 * 3_600_000);
      await drain(relay);
      expect(receiver.received).toHaveLength(sent);
      // Resend is refused while it is off, and sends again once turned back on.
      const deliveryId = state.deliveries[0]!.id;
      const refused = await withTenant(db.app.prisma, vendorId, (tx) =>
        new WebhooksRepository(tx).resendDelivery(deliveryId, clock, null),
      );
      expect(refused).toBe('endpoint-disabled');
      await withTenant(db.app.prisma, vendorId, async (tx) => {
        const repo = new WebhooksRepository(tx);
        await repo.updateEndpoint(endpointId, { enabled: true }, clock);
        expect(await repo.resendDelivery(deliveryId, clock, null)).toMatchObject({
          status: 'pending',
        });
      });
      await drain(relay);
      expect(receiver.received).toHaveLength(sent + 1);
    } finally {
      await relay.close();
      await receiver.close();
      await withTenant(db.app.prisma, vendorId, (tx) =>
        new WebhooksRepository(tx).deleteEndpoint(endpointId),
      );
    }
  });

  it('refuses a loopback or private target in production mode (nothing sent)', async () => {
    const receiver = await startReceiver(() => 200);
    const { id: endpointId } = await createEndpoint(receiver.url, ['alert.created']);
    const relay = relayWith(webhookJobs({ target: { allowLoopback: false, requireHttps: false } }));
    try {
      await withTenant(db.app.prisma, vendorId, (tx) =>
        emitWebhookEvent(tx, { vendorId, type: 'alert.created', data: { n: 1 }, now: clock }),
      );
      await drain(relay);
      expect(receiver.received).toHaveLength(0);
      const [delivery] = await withTenant(db.app.prisma, vendorId, (tx) =>
        new WebhooksRepository(tx).listDeliveries({ endpointId, limit: 10 }),
      );
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
      expect(delivery?.lastError).toMatch(/127\.0\.0\.1 is a loopback address/);
    } finally {
      await relay.close();
      await receiver.close();
    }
  });

  it('emits plan.committed once per market day the deadline freeze commits', async () => {
    const { id: endpointId } = await createEndpoint('https://hooks.example.com/plan', [
      'plan.committed',
    ]);
    const { market, products } = await withTenant(db.app.prisma, vendorId, async (tx) => {
      const market = await tx.market.create({
        data: {
          vendorId,
          name: 'Plan Market',
          latitude: 41.88,
          longitude: -87.63,
          timezone: 'America/Chicago',
          countryCode: 'US',
        },
      });
      const products = await Promise.all(
        ['Rye', 'Pie'].map((name) =>
          tx.product.create({ data: { vendorId, name, priceMinor: 800, unitCostMinor: 200 } }),
        ),
      );
      return { market, products };
    });
    // The Friday deadline before the Saturday before Christmas, and the next Saturday's.
    const rows = [
      ['2026-12-19', products[0]!.id, 40],
      ['2026-12-19', products[1]!.id, 12],
      ['2026-12-26', products[0]!.id, 10],
    ].map(([date, productId, make]) => ({
      vendorId,
      productId: productId as string,
      marketId: market.id,
      marketDate: date as string,
      deadlineAt: new Date(`${date as string}T00:00:00Z`),
      make: make as number,
      bring: make as number,
      line: {},
    }));
    const freeze = (batch: typeof rows) =>
      withTenant(db.app.prisma, vendorId, (tx) => new WeekPlanRepository(tx).freeze(batch));
    expect(await freeze(rows.slice(0, 2))).toBe(2);
    // A second run (the worker and a reader at once) freezes only what is new.
    expect(await freeze(rows)).toBe(1);
    expect(await freeze(rows)).toBe(0);
    const stored = await db.adminQuery<{ payload: { data: Record<string, unknown> } }>(
      `SELECT payload FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY payload->'data'->>'date'`,
      [endpointId],
    );
    expect(stored.map((r) => r.payload.data)).toEqual([
      expect.objectContaining({
        marketId: market.id,
        date: '2026-12-19',
        products: [
          { productId: products[0]!.id, make: 40, bring: 40 },
          { productId: products[1]!.id, make: 12, bring: 12 },
        ],
      }),
      expect.objectContaining({ date: '2026-12-26' }),
    ]);
  });

  it('backs off 1, 2, 4 ... minutes up to an hour and gives up after 3 days', () => {
    const createdAt = new Date('2026-03-08T09:00:00Z'); // across the US DST change: UTC math only
    const policy = {
      baseMs: 60_000,
      maxMs: 3_600_000,
      windowMs: 3 * 86_400_000,
      disableAfterFailures: 100,
    };
    const at = (attempt: number, nowIso: string) =>
      nextAttemptAt({ attempt, createdAt, now: new Date(nowIso), policy, random: 0.5 });
    expect(at(1, '2026-03-08T09:00:00Z')?.toISOString()).toBe('2026-03-08T09:01:00.000Z');
    expect(at(3, '2026-03-08T09:10:00Z')?.toISOString()).toBe('2026-03-08T09:14:00.000Z');
    expect(at(12, '2026-03-09T00:00:00Z')?.toISOString()).toBe('2026-03-09T01:00:00.000Z');
    expect(at(80, '2026-03-11T08:30:00Z')).toBeNull();
    expect(at(80, '2026-03-11T07:59:00Z')?.toISOString()).toBe('2026-03-11T08:59:00.000Z');
  });
});

describe('webhook secrets at rest', () => {
  /** Emits one alert.created for `vendor` and runs the relay until nothing is due. */
  async function emitAndDrain(vendor: string, relay: OutboxRelay) {
    await withTenant(db.app.prisma, vendor, (tx) =>
      emitWebhookEvent(tx, { vendorId: vendor, type: 'alert.created', data: { n: 1 }, now: clock }),
    );
    clock = new Date(Math.max(clock.getTime(), Date.now()) + 1_000);
    await drain(relay);
  }

  it('stores each secret sealed (no column holds it in clear) and deliveries verify with it', async () => {
    const { vendorId: vendor } = await createVendor('Sealed Farm');
    const receiver = await startReceiver(() => 200);
    const { id, secret } = await createEndpoint(receiver.url, ['alert.created'], { vendor });
    const relay = relayWith(webhookJobs({}));
    try {
      const [row] = await storedSecrets(vendor);
      expect(row).toMatchObject({ id, secret: null, encryption_key_id: 'k1' });
      expect(row!.row).not.toContain(secret);
      expect(row!.row).not.toContain(Buffer.from(secret).toString('hex'));
      expect(row!.secret_encrypted!.includes(Buffer.from(secret))).toBe(false);
      expect(cipher.decrypt(row!.secret_encrypted!)).toBe(secret);

      await emitAndDrain(vendor, relay);
      expect(receiver.received).toHaveLength(1);
      expectSignedWith(receiver.received[0]!, secret);
      const [delivery] = await withTenant(db.app.prisma, vendor, (tx) =>
        new WebhooksRepository(tx).listDeliveries({ endpointId: id, limit: 10 }),
      );
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200 });

      // A worker without the key ring cannot sign: the job throws for the runtime to retry (an
      // operator's fix), and nothing is sent or blamed on the endpoint.
      await emitAndDrain(vendor, relayWith([])); // the attempt's outbox row, not run yet
      const [pending] = await withTenant(db.app.prisma, vendor, (tx) =>
        new WebhooksRepository(tx).listDeliveries({ endpointId: id, limit: 10 }),
      );
      const keyless = createDeliverWebhookHandler({ db: db.app, now, target: loopbackPolicy });
      await expect(
        keyless({ vendorId: vendor, deliveryId: pending!.id, attempt: 1 }, { jobId: 'keyless' }),
      ).rejects.toThrow(/TOKEN_ENCRYPTION_KEYS is not configured/);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await relay.close();
      await receiver.close();
    }
  });

  it('after a key rotation, signs with secrets sealed by the old key or left in clear, and re-seals both', async () => {
    const { vendorId: vendor } = await createVendor('Rotated Farm');
    const legacyReceiver = await startReceiver(() => 200);
    const sealedReceiver = await startReceiver(() => 200);
    const legacy = await createLegacyEndpoint(vendor, legacyReceiver.url, ['alert.created']);
    const old = await createEndpoint(sealedReceiver.url, ['alert.created'], { vendor });
    const relay = relayWith(webhookJobs({ cipher: rotated }));
    try {
      expect((await storedSecrets(vendor)).map((r) => r.encryption_key_id).sort()).toEqual([
        'k1',
        null,
      ]);
      await emitAndDrain(vendor, relay);
      expect(legacyReceiver.received).toHaveLength(1);
      expectSignedWith(legacyReceiver.received[0]!, legacy.secret);
      expect(sealedReceiver.received).toHaveLength(1);
      expectSignedWith(sealedReceiver.received[0]!, old.secret);

      const rows = await storedSecrets(vendor);
      const secrets = new Map([
        [legacy.id, legacy.secret],
        [old.id, old.secret],
      ]);
      for (const row of rows) {
        const secret = secrets.get(row.id)!;
        expect(row).toMatchObject({ secret: null, encryption_key_id: 'k2' });
        expect(row.row).not.toContain(secret);
        expect(rotated.decrypt(row.secret_encrypted!)).toBe(secret);
        // Sealed with k2 now: the old ring alone cannot open it.
        expect(() => cipher.decrypt(row.secret_encrypted!)).toThrow(/unknown encryption key id/);
      }
    } finally {
      await relay.close();
      await legacyReceiver.close();
      await sealedReceiver.close();
    }
  });

  it('the daily re-seal moves every stale secret to the current key, businesses without a market too', async () => {
    const a = await createVendor('Reseal Farm');
    const b = await createVendor('Retired Key Farm');
    const c = await createVendor('Current Farm');
    const legacy = await createLegacyEndpoint(a.vendorId, 'https://a.example.com/1', [
      'alert.created',
    ]);
    const old = await createEndpoint('https://a.example.com/2', ['sync.failed'], {
      vendor: a.vendorId,
    });
    const current = await createEndpoint('https://a.example.com/3', ['sync.failed'], {
      vendor: a.vendorId,
      sealWith: rotated,
    });
    await createEndpoint('https://c.example.com/1', ['sync.failed'], {
      vendor: c.vendorId,
      sealWith: rotated,
    });
    // Sealed with a key an operator removed from the ring before its rows were re-sealed.
    const retiredRing = new TokenCipher(
      parseTokenKeyRing(`k0:${randomBytes(32).toString('base64')}`, 'k0'),
    );
    const lost = await createEndpoint('https://b.example.com/1', ['sync.failed'], {
      vendor: b.vendorId,
      sealWith: retiredRing,
    });

    const stale = await listVendorIdsWithSecretsToReseal(db.app.prisma, 'k2');
    expect(stale).toEqual(expect.arrayContaining([a.vendorId, b.vendorId]));
    expect(stale).not.toContain(c.vendorId);

    const reseal = createResealWebhookSecretsHandler({ db: db.app, cipher: rotated });
    // The lost one fails the run (operators see it) but does not hold the others back.
    await expect(reseal({}, { jobId: 'reseal-1' })).rejects.toThrow(
      new RegExp(
        `1 secret\\(s\\) name a key missing from TOKEN_ENCRYPTION_KEYS \\(endpoints ${lost.id}\\)`,
      ),
    );
    const rows = await storedSecrets(a.vendorId);
    const secrets = new Map([
      [legacy.id, legacy.secret],
      [old.id, old.secret],
      [current.id, current.secret],
    ]);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ secret: null, encryption_key_id: 'k2' });
      expect(row.row).not.toContain(secrets.get(row.id)!);
      expect(rotated.decrypt(row.secret_encrypted!)).toBe(secrets.get(row.id));
    }
    // The current one was left as it was (not re-sealed again).
    const [before] = await storedSecrets(c.vendorId);
    expect(await listVendorIdsWithSecretsToReseal(db.app.prisma, 'k2')).toEqual([b.vendorId]);

    await withTenant(db.app.prisma, b.vendorId, (tx) =>
      new WebhooksRepository(tx).deleteEndpoint(lost.id),
    );
    expect(await reseal({}, { jobId: 'reseal-2' })).toEqual({ resealed: 0, keyId: 'k2' });
    expect(await listVendorIdsWithSecretsToReseal(db.app.prisma, 'k2')).toEqual([]);
    const [after] = await storedSecrets(c.vendorId);
    expect(after!.secret_encrypted!.equals(before!.secret_encrypted!)).toBe(true);
  });

  it('sends nothing for a plan without webhooks out; a resend after upgrading delivers', async () => {
    const { vendorId: vendor } = await createVendor('Market Plan Farm');
    const subscribe = (plan: string) =>
      withTenant(db.app.prisma, vendor, (tx) =>
        tx.subscription.upsert({
          where: { vendorId: vendor },
          create: {
            vendorId: vendor,
            plan,
            status: 'ACTIVE',
            stripeCustomerId: `cus_${randomUUID()}`,
            stripeSubscriptionId: `sub_${randomUUID()}`,
          },
          update: { plan },
        }),
      );
    await subscribe('market');
    const receiver = await startReceiver(() => 200);
    const { id, secret } = await createEndpoint(receiver.url, ['alert.created'], { vendor });
    const relay = relayWith(webhookJobs({ plans: loadPlansConfig() }));
    try {
      await emitAndDrain(vendor, relay);
      expect(receiver.received).toHaveLength(0);
      const log = () =>
        withTenant(db.app.prisma, vendor, (tx) =>
          new WebhooksRepository(tx).listDeliveries({ endpointId: id, limit: 10 }),
        );
      const [notSent] = await log();
      expect(notSent).toMatchObject({
        status: 'failed',
        attempts: 0,
        nextAttemptAt: null,
        lastError: 'Not sent: the plan does not include webhooks out.',
      });
      const endpoint = await withTenant(db.app.prisma, vendor, (tx) =>
        new WebhooksRepository(tx).findEndpoint(id),
      );
      expect(endpoint).toMatchObject({ enabled: true, consecutiveFailures: 0 });

      await subscribe('team');
      await withTenant(db.app.prisma, vendor, (tx) =>
        new WebhooksRepository(tx).resendDelivery(notSent!.id, clock, null),
      );
      await drain(relay);
      expect(receiver.received).toHaveLength(1);
      expectSignedWith(receiver.received[0]!, secret);
      expect((await log())[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
    } finally {
      await relay.close();
      await receiver.close();
    }
  });
});
