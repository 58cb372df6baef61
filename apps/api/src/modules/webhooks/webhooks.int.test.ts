import { randomUUID } from 'node:crypto';
import {
  WebhookDeliveryListSchema,
  WebhookEndpointCreatedSchema,
  WebhookEndpointListSchema,
} from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { seedShop, type Shop } from '../check-ins/check-ins.fixtures';

// Webhooks out through the API (issue 20): endpoints, the secret shown once, the URL policy in
// production, and a check-in emitting its event once, in its own transaction, even when retried.
const NOW = new Date('2026-05-09T19:00:00Z'); // the evening after a Saturday market (Mother's Day eve)
const SATURDAY = '2026-05-09';

let h: Harness;
let prod: Harness;
let owner: Agent;
let staff: Agent;
let shop: Shop;

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  prod = await createHarness({
    now: () => NOW,
    rateLimit: false,
    webhookTargets: { allowLoopback: false, requireHttps: true },
  });
  owner = await h.signup({ vendorName: 'Hook Farm' });
  shop = await seedShop(h.db.app, owner.vendorId!, {
    market: { name: 'Riverside', schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }] },
    products: [
      { key: 'bread', name: 'Bread', priceMinor: 800, unitCostMinor: 300, salvageValueMinor: 0 },
    ],
    days: [{ date: SATURDAY }],
  });
  staff = await h.signup({ vendorName: null });
  await h.db.adminQuery(
    `INSERT INTO memberships (vendor_id, user_id, role) VALUES ($1, $2, 'STAFF')`,
    [owner.vendorId, staff.userId],
  );
});
afterAll(async () => {
  await h.close();
  await prod.close();
});

describe('webhook endpoints', () => {
  it('registers an endpoint, shows the secret once, lists in the one list shape', async () => {
    const created = await h.call(owner, 'POST', '/v1/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hooks',
      description: 'Spreadsheet sync',
      events: ['check_in.submitted', 'check_in.submitted', 'alert.created'],
    });
    expect(created.statusCode).toBe(201);
    const endpoint = WebhookEndpointCreatedSchema.parse(created.json());
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint.events).toEqual(['check_in.submitted', 'alert.created']);
    const list = await h.call(owner, 'GET', '/v1/webhook-endpoints?limit=1');
    expect(list.statusCode).toBe(200);
    const page = WebhookEndpointListSchema.parse(list.json());
    expect(page.data.map((e) => e.id)).toEqual([endpoint.id]);
    expect(list.body).not.toContain(endpoint.secret);
    expect(list.json()).toHaveProperty('nextCursor', null);
    // Staff cannot see or add endpoints.
    expect((await h.call(staff, 'GET', '/v1/webhook-endpoints')).statusCode).toBe(403);
    // Bad input: unknown event, no events, a non-URL, extra fields; nothing written.
    for (const body of [
      { url: 'https://example.com/h', events: ['order.created'] },
      { url: 'https://example.com/h', events: [] },
      { url: 'not a url', events: ['alert.created'] },
      { url: 'https://example.com/h', events: ['alert.created'], secret: 'mine' },
      { url: 'https://user:pw@example.com/h', events: ['alert.created'] },
    ]) {
      const refused = await h.call(owner, 'POST', '/v1/webhook-endpoints', body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    const after = WebhookEndpointListSchema.parse(
      (await h.call(owner, 'GET', '/v1/webhook-endpoints')).json(),
    );
    expect(after.data).toHaveLength(1);
  });

  it('refuses private, loopback, link-local and metadata URLs and plain http in production', async () => {
    const prodOwner = await prod.signup({ vendorName: 'Prod Farm' });
    for (const url of [
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://10.0.0.8/hook',
      'https://192.168.1.2/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00:ec2::254]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'http://hooks.example.com/hook',
    ]) {
      const refused = await prod.call(prodOwner, 'POST', '/v1/webhook-endpoints', {
        url,
        events: ['alert.created'],
      });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json<{ detail: string }>().detail).toMatch(/cannot receive webhooks/);
    }
    const rows = await prod.db.adminQuery('SELECT 1 FROM webhook_endpoints');
    expect(rows).toHaveLength(0);
    const ok = await prod.call(prodOwner, 'POST', '/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/hook',
      events: ['alert.created'],
    });
    expect(ok.statusCode).toBe(201);
  });

  it('a check-in emits check_in.submitted once, even when its submission is retried', async () => {
    const list = WebhookEndpointListSchema.parse(
      (await h.call(owner, 'GET', '/v1/webhook-endpoints')).json(),
    );
    const endpointId = list.data[0]!.id;
    const submission = {
      clientSubmissionId: randomUUID(),
      lines: [
        {
          productId: shop.productIds.bread,
          brought: 40,
          sold: 36,
          leftOver: 4,
          wasted: 0,
          donated: 2,
        },
      ],
    };
    const url = `/v1/markets/${shop.marketId}/check-ins/${SATURDAY}`;
    for (let i = 0; i < 3; i += 1) {
      const response = await h.call(owner, 'PUT', url, submission);
      expect(response.statusCode).toBe(200);
    }
    const log = await h.call(owner, 'GET', `/v1/webhook-endpoints/${endpointId}/deliveries`);
    expect(log.statusCode).toBe(200);
    const deliveries = WebhookDeliveryListSchema.parse(log.json());
    expect(deliveries.data).toHaveLength(1);
    expect(deliveries.data[0]).toMatchObject({
      eventType: 'check_in.submitted',
      status: 'pending',
      attempts: 0,
    });
    const [stored] = await h.db.adminQuery<{ payload: { data: Record<string, unknown> } }>(
      'SELECT payload FROM webhook_deliveries WHERE id = $1',
      [deliveries.data[0]!.id],
    );
    expect(stored?.payload.data).toMatchObject({
      marketId: shop.marketId,
      date: SATURDAY,
      products: [shop.productIds.bread],
    });
    const outbox = await h.db.adminQuery<{ payload: { deliveryId: string; attempt: number } }>(
      `SELECT payload FROM outbox WHERE job_name = 'deliver-webhook'`,
    );
    expect(outbox.map((o) => o.payload)).toEqual([
      expect.objectContaining({ deliveryId: deliveries.data[0]!.id, attempt: 1 }),
    ]);
    // Resend adds the next attempt; another vendor's delivery id is 404.
    const resent = await h.call(
      owner,
      'POST',
      `/v1/webhook-deliveries/${deliveries.data[0]!.id}/resend`,
    );
    expect(resent.statusCode).toBe(202);
    const other = await h.signup({ vendorName: 'Other Farm' });
    expect(
      (await h.call(other, 'POST', `/v1/webhook-deliveries/${deliveries.data[0]!.id}/resend`))
        .statusCode,
    ).toBe(404);
  });

  it('turns an endpoint off and on, and deletes it with its log', async () => {
    const list = WebhookEndpointListSchema.parse(
      (await h.call(owner, 'GET', '/v1/webhook-endpoints')).json(),
    );
    const id = list.data[0]!.id;
    const off = await h.call(owner, 'PATCH', `/v1/webhook-endpoints/${id}`, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, disabledReason: 'Turned off by an owner.' });
    const on = await h.call(owner, 'PATCH', `/v1/webhook-endpoints/${id}`, { enabled: true });
    expect(on.json()).toMatchObject({
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    expect((await h.call(owner, 'PATCH', `/v1/webhook-endpoints/${id}`, {})).statusCode).toBe(400);
    expect((await h.call(owner, 'DELETE', `/v1/webhook-endpoints/${id}`)).statusCode).toBe(204);
    expect((await h.call(owner, 'GET', `/v1/webhook-endpoints/${id}`)).statusCode).toBe(404);
    const rows = await h.db.adminQuery('SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1', [
      id,
    ]);
    expect(rows).toHaveLength(0);
  });
});
