import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { ImportReportSchema } from '@marketprep/contracts';
import { csrfTokenFor } from '../lib/secrets';
import { oneValid } from './route-table';
import type { Agent, Harness } from './harness';

/**
 * Data for the API-wide tests (authorization matrix, fuzzing): two vendors (A with an owner and
 * a staff member, B with an owner), a platform admin, and one resource of every kind per vendor,
 * written directly as the database owner so the tests do not depend on the routes they examine.
 *
 * Route parameters are resolved BY NAME through {@link PARAM_FIXTURES}: a route whose parameter
 * has no entry fails the tests with a message asking for one, so a new route cannot be missed.
 */

/** The CSRF key the API-wide tests give the harness (sessions are minted here, not by login). */
export const TEST_SESSION_SECRET = 'api-wide-tests-session-secret-0123456789';

/** Who acts in a request. */
export type ActorName = 'anonymous' | 'staff' | 'owner' | 'otherOwner' | 'admin';

/** One vendor's resources, by kind. */
export interface ResourceBundle {
  vendorId: string;
  marketId: string;
  marketDayId: string;
  /** The market day's local date, `YYYY-MM-DD`. */
  date: string;
  productId: string;
  notificationId: string;
  importId: string;
  apiTokenId: string;
  invitationId: string;
  checkInId: string;
  recommendationId: string;
  /** A member (STAFF) nobody acts as, so removing them breaks nothing. */
  memberUserId: string;
  /** A FAILED outbox row naming this vendor (operators' job routes; the outbox has no tenant). */
  outboxId: string;
  /** A vendor-entered event of the market. */
  eventId: string;
  /** A finished data export (its archive is not stored: the download answers 409). */
  exportId: string;
  /** A weekly pre-order of the product at the market, from the market day's date. */
  preOrderId: string;
  /** A webhook endpoint (https, enabled) and one failed delivery of it. */
  webhookEndpointId: string;
  webhookDeliveryId: string;
}

/** How a route parameter (or a body/query field of the same name) is filled. */
export interface ParamFixture {
  /** True for ids of a vendor's rows: another vendor's value must answer 404. */
  tenantId: boolean;
  pick(bundle: ResourceBundle): string;
}

/**
 * Route parameter name -> fixture. Add an entry when you add a route with a new parameter name
 * (keep names descriptive: `:marketId`, not `:id`). `ROUTE_PARAM_FIXTURES` overrides by route.
 */
export const PARAM_FIXTURES: Record<string, ParamFixture> = {
  marketId: { tenantId: true, pick: (b) => b.marketId },
  marketDayId: { tenantId: true, pick: (b) => b.marketDayId },
  productId: { tenantId: true, pick: (b) => b.productId },
  notificationId: { tenantId: true, pick: (b) => b.notificationId },
  exportId: { tenantId: true, pick: (b) => b.exportId },
  importId: { tenantId: true, pick: (b) => b.importId },
  apiTokenId: { tenantId: true, pick: (b) => b.apiTokenId },
  tokenId: { tenantId: true, pick: (b) => b.apiTokenId },
  invitationId: { tenantId: true, pick: (b) => b.invitationId },
  checkInId: { tenantId: true, pick: (b) => b.checkInId },
  feedbackId: { tenantId: true, pick: (b) => b.checkInId },
  recommendationId: { tenantId: true, pick: (b) => b.recommendationId },
  prepListId: { tenantId: true, pick: (b) => b.recommendationId },
  userId: { tenantId: true, pick: (b) => b.memberUserId },
  memberId: { tenantId: true, pick: (b) => b.memberUserId },
  vendorId: { tenantId: true, pick: (b) => b.vendorId },
  date: { tenantId: false, pick: (b) => b.date },
  outboxId: { tenantId: false, pick: (b) => b.outboxId },
  eventId: { tenantId: true, pick: (b) => b.eventId },
  preOrderId: { tenantId: true, pick: (b) => b.preOrderId },
  endpointId: { tenantId: true, pick: (b) => b.webhookEndpointId },
  deliveryId: { tenantId: true, pick: (b) => b.webhookDeliveryId },
};

/** Per-route overrides for generic names (`METHOD url#param`). */
export const ROUTE_PARAM_FIXTURES: Record<string, ParamFixture> = {
  'DELETE /v1/api-tokens/:id#id': { tenantId: true, pick: (b) => b.apiTokenId },
};

/** The fixture of `param` on `method url`, or an error telling the developer what to add. */
export function paramFixture(method: string, url: string, param: string): ParamFixture {
  const fixture = ROUTE_PARAM_FIXTURES[`${method} ${url}#${param}`] ?? PARAM_FIXTURES[param];
  if (!fixture) {
    throw new Error(
      `Route ${method} ${url} has the parameter :${param}, which the API-wide tests do not know. ` +
        `Add a fixture for "${param}" to PARAM_FIXTURES in apps/api/src/testing/fixtures.ts ` +
        '(and create that resource in createResources), so the authorization matrix can test it.',
    );
  }
  return fixture;
}

/** Field values by name for bodies and query strings (same names as the params). */
export function namedValuesOf(bundle: ResourceBundle): Record<string, string> {
  return Object.fromEntries(
    Object.entries(PARAM_FIXTURES).map(([name, fixture]) => [name, fixture.pick(bundle)]),
  );
}

/** A signed-in person of the fixtures. */
export interface FixtureActor {
  userId: string;
  email: string;
  /** The vendor their sessions act for (null for the admin). */
  vendorId: string | null;
}

/** The whole cast and their data. */
export interface World {
  actors: Record<Exclude<ActorName, 'anonymous'>, FixtureActor>;
  vendorA: ResourceBundle;
  vendorB: ResourceBundle;
  /** A fresh session (cookie + CSRF) for an actor; cheap, so tests mint one per request. */
  session(actor: FixtureActor): Promise<Agent>;
  /** A fresh bundle of resources of a vendor (for requests that change or delete them). */
  createResources(vendorId: string): Promise<ResourceBundle>;
  close(): Promise<void>;
}

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** A local date `days` from today (UTC), `YYYY-MM-DD`. */
function dateFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Builds the world on a harness created with `sessionSecret: TEST_SESSION_SECRET`. Accounts are
 * signed up through the API (argon2 hashes like real ones); memberships, the admin grant and every
 * resource are inserted as the database owner.
 */
export async function createWorld(h: Harness): Promise<World> {
  const admin = new pg.Pool({ connectionString: h.db.adminUrl, max: 4 });
  // The harness drops the database with FORCE at the end; an idle client must not crash the run.
  admin.on('error', () => undefined);
  const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    (await admin.query<T>(text, values)).rows;

  const ownerA = await h.signup({ vendorName: 'Matrix Vendor A' });
  const ownerB = await h.signup({ vendorName: 'Matrix Vendor B' });
  const staffA = await h.signup({ vendorName: null });
  const operator = await h.signup({ vendorName: null });
  const vendorA = ownerA.vendorId!;
  const vendorB = ownerB.vendorId!;
  await query(`INSERT INTO memberships (vendor_id, user_id, role) VALUES ($1, $2, 'STAFF')`, [
    vendorA,
    staffA.userId,
  ]);
  await query(`INSERT INTO platform_admins (user_id) VALUES ($1)`, [operator.userId]);

  async function createResources(vendorId: string): Promise<ResourceBundle> {
    const tag = randomBytes(4).toString('hex');
    const date = dateFromToday(3);
    const [market] = await query<{ id: string }>(
      `INSERT INTO markets (vendor_id, name, latitude, longitude, timezone, country_code, booth_fee_minor)
       VALUES ($1, $2, 40.7128, -74.006, 'America/New_York', 'US', 2500) RETURNING id`,
      [vendorId, `Market ${tag}`],
    );
    const [day] = await query<{ id: string }>(
      `INSERT INTO market_days (vendor_id, market_id, date) VALUES ($1, $2, $3) RETURNING id`,
      [vendorId, market!.id, date],
    );
    const [product] = await query<{ id: string }>(
      `INSERT INTO products (vendor_id, name, price_minor, unit_cost_minor, expected_daily_units)
       VALUES ($1, $2, 600, 150, 20) RETURNING id`,
      [vendorId, `Sourdough ${tag}`],
    );
    const [notification] = await query<{ id: string }>(
      `INSERT INTO notifications (vendor_id, kind, title, body) VALUES ($1, 'outlook', 'Rain', 'Heavy rain') RETURNING id`,
      [vendorId],
    );
    // A stored report as the import module writes it (generated from its contract).
    const fileSha256 = sha256Hex(tag);
    const report = oneValid(ImportReportSchema, { fileSha256 }, 'ImportReportSchema') as {
      format?: string;
    };
    const [salesImport] = await query<{ id: string }>(
      `INSERT INTO sales_imports (vendor_id, file_name, file_sha256, format, row_count, report)
       VALUES ($1, 'sales.csv', $2, $3, 0, $4) RETURNING id`,
      [vendorId, fileSha256, report.format ?? 'plain', JSON.stringify(report)],
    );
    const [token] = await query<{ id: string }>(
      `INSERT INTO api_tokens (vendor_id, name, prefix, token_hash, scopes)
       VALUES ($1, $2, 'mp_t_xx', $3, ARRAY['read']) RETURNING id`,
      [vendorId, `token ${tag}`, sha256Hex(`token-${tag}`)],
    );
    const [invitation] = await query<{ id: string }>(
      `INSERT INTO invitations (vendor_id, email, role, token_hash, expires_at)
       VALUES ($1, $2, 'STAFF', $3, now() + interval '7 days') RETURNING id`,
      [vendorId, `invitee-${tag}@example.com`, sha256Hex(`invite-${tag}`)],
    );
    const [checkIn] = await query<{ id: string }>(
      `INSERT INTO feedback (vendor_id, market_day_id, product_id, brought, sold, left_over)
       VALUES ($1, $2, $3, 20, 18, 2) RETURNING id`,
      [vendorId, day!.id, product!.id],
    );
    const [recommendation] = await query<{ id: string }>(
      `INSERT INTO recommendations (vendor_id, market_id, market_day_id, trigger, inputs_hash)
       VALUES ($1, $2, $3, 'manual', $4) RETURNING id`,
      [vendorId, market!.id, day!.id, sha256Hex(`rec-${tag}`)],
    );
    const [member] = await query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Spare Member', 'x') RETURNING id`,
      [`member-${tag}@example.com`],
    );
    await query(`INSERT INTO memberships (vendor_id, user_id, role) VALUES ($1, $2, 'STAFF')`, [
      vendorId,
      member!.id,
    ]);
    const [failedJob] = await query<{ id: string }>(
      `INSERT INTO outbox (job_name, payload, status, attempts, last_error)
       VALUES ('retrain-vendor', $1, 'FAILED', 3, 'fixture failure') RETURNING id`,
      [JSON.stringify({ vendorId })],
    );
    const [event] = await query<{ id: string }>(
      `INSERT INTO events (vendor_id, market_id, source, external_id, name, date)
       VALUES ($1, $2, 'VENDOR', $3, $4, $5) RETURNING id`,
      [vendorId, market!.id, randomUUID(), `Street fair ${tag}`, date],
    );
    const [dataExport] = await query<{ id: string }>(
      `INSERT INTO data_export_requests (vendor_id, status, completed_at, expires_at)
       VALUES ($1, 'COMPLETED', now(), now() + interval '1 day') RETURNING id`,
      [vendorId],
    );
    const [webhookEndpoint] = await query<{ id: string }>(
      `INSERT INTO webhook_endpoints (vendor_id, url, events, secret)
       VALUES ($1, 'https://hooks.example.com/marketprep', '{check_in.submitted}', $2) RETURNING id`,
      [vendorId, `whsec_fixture_${tag}`],
    );
    const [webhookDelivery] = await query<{ id: string }>(
      `INSERT INTO webhook_deliveries
         (vendor_id, endpoint_id, event_id, event_type, payload, status, attempts, last_error)
       VALUES ($1, $2, $3, 'check_in.submitted', '{}', 'failed', 1, 'fixture failure') RETURNING id`,
      [vendorId, webhookEndpoint!.id, randomUUID()],
    );
    const [preOrder] = await query<{ id: string }>(
      `INSERT INTO pre_orders (vendor_id, product_id, market_id, customer_name, quantity, repeat, first_date)
       VALUES ($1, $2, $3, 'Ana', 2, 'weekly', $4) RETURNING id`,
      [vendorId, product!.id, market!.id, date],
    );
    return {
      vendorId,
      marketId: market!.id,
      marketDayId: day!.id,
      date,
      productId: product!.id,
      notificationId: notification!.id,
      importId: salesImport!.id,
      apiTokenId: token!.id,
      invitationId: invitation!.id,
      checkInId: checkIn!.id,
      recommendationId: recommendation!.id,
      memberUserId: member!.id,
      outboxId: failedJob!.id,
      eventId: event!.id,
      exportId: dataExport!.id,
      preOrderId: preOrder!.id,
      webhookEndpointId: webhookEndpoint!.id,
      webhookDeliveryId: webhookDelivery!.id,
    };
  }

  async function session(actor: FixtureActor): Promise<Agent> {
    const secret = `mp_s_${randomBytes(32).toString('base64url')}`;
    await query(
      `INSERT INTO sessions (user_id, token_hash, active_vendor_id, expires_at)
       VALUES ($1, $2, $3, now() + interval '1 day')`,
      [actor.userId, sha256Hex(secret), actor.vendorId],
    );
    return {
      email: actor.email,
      userId: actor.userId,
      vendorId: actor.vendorId,
      cookie: `mp_session=${secret}`,
      csrf: csrfTokenFor(secret, TEST_SESSION_SECRET),
    };
  }

  const [bundleA, bundleB] = await Promise.all([
    createResources(vendorA),
    createResources(vendorB),
  ]);
  return {
    actors: {
      owner: { userId: ownerA.userId, email: ownerA.email, vendorId: vendorA },
      staff: { userId: staffA.userId, email: staffA.email, vendorId: vendorA },
      otherOwner: { userId: ownerB.userId, email: ownerB.email, vendorId: vendorB },
      admin: { userId: operator.userId, email: operator.email, vendorId: null },
    },
    vendorA: bundleA,
    vendorB: bundleB,
    session,
    createResources,
    close: () => admin.end(),
  };
}

/** A random id that exists nowhere. */
export const missingId = () => randomUUID();
