import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MembershipsRepository,
  NotificationsRepository,
  UsersRepository,
  WebhooksRepository,
  WeekPlanRepository,
  emitWebhookEvent,
  withScope,
  withTenant,
} from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { generateWebhookSecret, verifyWebhookSignature } from '@marketprep/integrations';
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

function webhookJobs(options: { disableAfterFailures?: number; target?: typeof loopbackPolicy }) {
  return [
    {
      definition: deliverWebhookJob,
      handler: createDeliverWebhookHandler({
        db: db.app,
        now,
        target: options.target ?? loopbackPolicy,
        retry: { ...retry, disableAfterFailures: options.disableAfterFailures ?? 100 },
        timeoutMs: 2_000,
      }),
    },
  ];
}

/** Runs the relay until nothing is due at the current clock. */
async function drain(relay: OutboxRelay) {
  for (let i = 0; i < 50 && (await relay.tick()) > 0; i += 1);
}

async function createEndpoint(url: string, events: string[]) {
  const secret = generateWebhookSecret();
  const endpoint = await withTenant(db.app.prisma, vendorId, (tx) =>
    new WebhooksRepository(tx).createEndpoint({ vendorId, url, description: null, events, secret }),
  );
  return { id: endpoint.id, secret };
}

beforeAll(async () => {
  db = await createTestDatabase();
  ownerId = (await new UsersRepository(db.app.prisma).createUser({
    email: `hook-owner-${randomUUID().slice(0, 8)}@example.com`,
    name: 'Hook Owner',
    passwordHash: 'x',
  }))!.id;
  vendorId = randomUUID();
  await withScope(db.app.prisma, { vendorId, userId: ownerId }, (tx) =>
    new MembershipsRepository(tx).createVendorWithOwner({
      vendorId,
      userId: ownerId,
      name: 'Hook Bakery',
      slug: `hook-${vendorId.slice(0, 8)}`,
    }),
  );
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
