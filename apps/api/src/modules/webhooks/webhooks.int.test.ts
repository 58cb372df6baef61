import { randomUUID } from 'node:crypto';
import {
  WebhookDeliveryListSchema,
  WebhookEndpointCreatedSchema,
  WebhookEndpointListSchema,
} from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { startStripeForTests, type StripeForTests } from '../billing/billing-testing';
import { seedShop, type Shop } from '../check-ins/check-ins.fixtures';
import { expectProblem } from '../markets/catalog-test-helpers';

// Webhooks out through the API (issue 20): endpoints, the secret shown once, the URL policy in
// production, and a check-in emitting its event once, in its own transaction, even when retried.
const NOW = new Date('2026-05-09T19:00:00Z'); // the evening after a Saturday market (Mother's Day eve)
const SATURDAY = '2026-05-09';

let h: Harness;
let prod: Harness;
let owner: Agent;
let staff: Agent;
let shop: Shop;
/** Every signing secret the API showed in these tests: none may be stored in clear anywhere. */
const secretsShown: string[] = [];

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
    secretsShown.push(endpoint.secret);
    // Stored sealed only: no column, text or bytes, holds the secret in clear.
    const [stored] = await h.db.adminQuery<{
      secret: string | null;
      secret_encrypted: Buffer | null;
      encryption_key_id: string | null;
      row: string;
    }>(
      `SELECT secret, secret_encrypted, encryption_key_id, row_to_json(e)::text AS row
         FROM webhook_endpoints e WHERE id = $1`,
      [endpoint.id],
    );
    expect(stored).toMatchObject({ secret: null, encryption_key_id: 't1' });
    expect(stored!.row).not.toContain(endpoint.secret);
    expect(stored!.row).not.toContain(Buffer.from(endpoint.secret).toString('hex'));
    expect(stored!.secret_encrypted!.includes(Buffer.from(endpoint.secret))).toBe(false);
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

  it('a registration retried with its Idempotency-Key answers the same secret, kept sealed', async () => {
    const key = randomUUID();
    const body = { url: 'http://127.0.0.1:9/retried', events: ['alert.created'] };
    const first = await h.call(owner, 'POST', '/v1/webhook-endpoints', body, {
      'idempotency-key': key,
    });
    const again = await h.call(owner, 'POST', '/v1/webhook-endpoints', body, {
      'idempotency-key': key,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const created = WebhookEndpointCreatedSchema.parse(first.json());
    secretsShown.push(created.secret);
    expect(WebhookEndpointCreatedSchema.parse(again.json())).toEqual(created);
    const rows = await h.db.adminQuery('SELECT 1 FROM webhook_endpoints WHERE url = $1', [
      body.url,
    ]);
    expect(rows).toHaveLength(1);
    // The stored answer a replay is served from holds the secret only encrypted.
    const [stored] = await h.db.adminQuery<{ response_body: string }>(
      'SELECT response_body FROM idempotency_keys WHERE key = $1',
      [key],
    );
    expect(stored!.response_body).toMatch(/^sealed:/);
    expect(stored!.response_body).not.toContain(created.secret);
    expect(Buffer.from(stored!.response_body.slice(7), 'base64').includes(created.secret)).toBe(
      false,
    );
    const removed = await h.call(owner, 'DELETE', `/v1/webhook-endpoints/${created.id}`);
    expect(removed.statusCode).toBe(204);
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

  it('no table holds a secret it showed in clear (text, JSON or bytes)', async () => {
    expect(secretsShown).toHaveLength(2);
    const tables = await h.db.adminQuery<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['webhook_endpoints', 'idempotency_keys', 'audit_log', 'outbox']),
    );
    for (const secret of secretsShown) {
      // A row as text shows bytea as hex, so the secret's bytes in clear would show as its hex.
      const hex = Buffer.from(secret, 'utf8').toString('hex');
      for (const { table_name: table } of tables) {
        const [found] = await h.db.adminQuery<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${table}" t
            WHERE position($1 in t::text) > 0 OR position($2 in t::text) > 0`,
          [secret, hex],
        );
        expect(found!.n, `${table} holds a webhook secret in clear`).toBe(0);
      }
    }
  });
});

describe('webhook endpoints: configuration and plan', () => {
  let stripe: StripeForTests;
  let billed: Harness;
  let keyless: Harness;

  beforeAll(async () => {
    stripe = await startStripeForTests();
    billed = await createHarness({ billing: stripe.config, rateLimit: false });
    // No Square config and no tokenCipher: nothing to seal secrets with.
    keyless = await createHarness({ square: undefined, rateLimit: false });
  });
  afterAll(async () => {
    await billed.close();
    await keyless.close();
    await stripe.stop();
  });

  /** An owner whose business is on `plan` (an active Stripe subscription), or trialing. */
  async function ownerOn(plan: 'starter' | 'market' | 'team' | 'trial'): Promise<Agent> {
    const agent = await billed.signup({ vendorName: `${plan} farm` });
    if (plan !== 'trial') {
      await billed.db.adminQuery(
        `INSERT INTO subscriptions (vendor_id, plan, status, stripe_customer_id, stripe_subscription_id)
         VALUES ($1, $2, 'ACTIVE', $3, $4)`,
        [agent.vendorId, plan, `cus_${randomUUID()}`, `sub_${randomUUID()}`],
      );
    }
    return agent;
  }
  const create = (hx: Harness, agent: Agent, n = 1) =>
    hx.call(agent, 'POST', '/v1/webhook-endpoints', {
      url: `http://127.0.0.1:9/hooks/${n}`,
      events: ['prep_list.updated'],
    });
  const count = async (hx: Harness, agent: Agent) =>
    (
      await hx.db.adminQuery('SELECT 1 FROM webhook_endpoints WHERE vendor_id = $1', [
        agent.vendorId,
      ])
    ).length;

  it('answers 503 with Retry-After, writing nothing, when the server has no key ring', async () => {
    const agent = await keyless.signup({ vendorName: 'Keyless Farm' });
    const refused = await create(keyless, agent);
    const problem = expectProblem(refused, 503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(problem.detail).toMatch(/TOKEN_ENCRYPTION_KEYS/);
    expect(await count(keyless, agent)).toBe(0);
  });

  it('webhooks out is a Team feature: other plans are refused naming Team (reads still work)', async () => {
    for (const plan of ['starter', 'market'] as const) {
      const agent = await ownerOn(plan);
      const refused = expectProblem(await create(billed, agent), 403);
      expect(refused).toMatchObject({
        code: 'plan-feature',
        feature: 'webhooks-out',
        requiredPlan: 'team',
      });
      expect(refused.detail).toContain('Webhooks out are not included in your');
      expect(await count(billed, agent)).toBe(0);
      const list = await billed.call(agent, 'GET', '/v1/webhook-endpoints');
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual({ data: [], nextCursor: null });
      // Changing and resending are the feature too (checked before the id is looked up).
      const patched = await billed.call(agent, 'PATCH', `/v1/webhook-endpoints/${randomUUID()}`, {
        enabled: true,
      });
      expect(expectProblem(patched, 403)).toMatchObject({ feature: 'webhooks-out' });
      const resent = await billed.call(
        agent,
        'POST',
        `/v1/webhook-deliveries/${randomUUID()}/resend`,
      );
      expect(expectProblem(resent, 403)).toMatchObject({ feature: 'webhooks-out' });
    }
  });

  it("Team (and the trial) may register up to the plan file's webhookEndpoints, then plan-limit", async () => {
    const limit = stripe.config.plans.plans.find((p) => p.id === 'team')!.limits.webhookEndpoints;
    expect(limit).toBe(10);
    for (const plan of ['team', 'trial'] as const) {
      const agent = await ownerOn(plan);
      for (let n = 1; n <= limit!; n += 1) {
        const created = await create(billed, agent, n);
        expect(created.statusCode, created.body).toBe(201);
      }
      const refused = expectProblem(await create(billed, agent, 99), 403);
      expect(refused).toMatchObject({
        code: 'plan-limit',
        limit: 'webhookEndpoints',
        requiredPlan: null,
      });
      expect(refused.detail).toContain('includes 10 webhook endpoints');
      expect(await count(billed, agent)).toBe(limit);
      const usage = await billed.call(agent, 'GET', '/v1/billing');
      expect(usage.json()).toMatchObject({
        limits: { webhookEndpoints: 10 },
        usage: { webhookEndpoints: 10 },
      });
      // Deleting one makes room again.
      const [first] = await billed.db.adminQuery<{ id: string }>(
        'SELECT id FROM webhook_endpoints WHERE vendor_id = $1 LIMIT 1',
        [agent.vendorId],
      );
      const deleted = await billed.call(agent, 'DELETE', `/v1/webhook-endpoints/${first!.id}`);
      expect(deleted.statusCode).toBe(204);
      expect((await create(billed, agent, 100)).statusCode).toBe(201);
    }
  });
});
