import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_SESSION_SECRET,
  createWorld,
  namedValuesOf,
  paramFixture,
  type ActorName,
  type ResourceBundle,
  type World,
} from '../testing/fixtures';
import { startStripeForTests, type StripeForTests } from '../modules/billing/billing-testing';
import { createHarness, type Harness } from '../testing/harness';
import { fillUrl, oneValid, routeTableOf, type ApiRoute } from '../testing/route-table';

/**
 * Authorization matrix (issue 4, RELIABILITY.md "Security"): every route of the route table x
 * (anonymous, staff, owner, other vendor's owner, platform admin) x (own ids, foreign ids). The
 * expected answer is derived from the route's declared `config.access`:
 *
 * | access        | anonymous | staff (A)          | owner (A)      | owner (B)      | admin |
 * | public        | passes    | passes             | passes         | passes         | passes|
 * | user          | 401       | passes             | passes         | passes         | passes|
 * | admin         | 401       | 403                | 403            | 403            | passes|
 * | tenant STAFF  | 401       | own: passes, foreign: 404 (routes with id params) | ... | ... | 403 |
 * | tenant OWNER  | 401       | 403                | own/foreign as above             | 403 |
 *
 * "passes" = neither 401 nor 403 from the authorization layer (a domain 401/403 such as a wrong
 * password is told apart by its detail), no 5xx, and for a GET with own ids no 404. Authorization
 * runs in preHandler, after validation, so requests carry VALID params, query and bodies generated
 * from the route's zod schemas (fixtures fill fields named like params: marketId, productId, ...).
 * Writes with own ids act on a fresh bundle of resources, so a DELETE cannot break later rows.
 */

/** Details the auth plugin answers with; a domain 401/403 has other words. */
const AUTHZ_DETAILS = [
  'Sign in first.',
  'Sign in, or send an API token.',
  'Operators only.',
  'Only an owner of this business can do this.',
  'Create a business or accept an invitation first.',
  'You are no longer a member of this business.',
  'Missing or invalid CSRF token',
];

type Expectation = 'passes' | 401 | 403 | 404;
const ACTORS: ActorName[] = ['anonymous', 'staff', 'owner', 'otherOwner', 'admin'];

let h: Harness;
let world: World;
let routes: ApiRoute[];
let stripe: StripeForTests;

beforeAll(async () => {
  // Billing on (the Stripe fake), so its routes are exercised as in demo mode, not answered 503.
  stripe = await startStripeForTests();
  h = await createHarness({
    sessionSecret: TEST_SESSION_SECRET,
    rateLimit: false,
    billing: stripe.config,
  });
  world = await createWorld(h);
  routes = routeTableOf(h.app);
});
afterAll(async () => {
  await world.close();
  await h.close();
  await stripe.stop();
});

function hasTenantIdParam(route: ApiRoute): boolean {
  return route.params.some((p) => paramFixture(route.method, route.url, p).tenantId);
}

function expectationFor(route: ApiRoute, actor: ActorName, foreign: boolean): Expectation {
  const access = route.access ?? { kind: 'public' as const };
  switch (access.kind) {
    case 'public':
      return 'passes';
    case 'user':
      return actor === 'anonymous' ? 401 : 'passes';
    case 'admin':
      return actor === 'anonymous' ? 401 : actor === 'admin' ? 'passes' : 403;
    case 'tenant':
      if (actor === 'anonymous') return 401;
      if (actor === 'admin') return 403;
      if (access.role === 'OWNER' && actor === 'staff') return 403;
      return foreign && hasTenantIdParam(route) ? 404 : 'passes';
  }
}

function isAuthzRefusal(response: LightMyRequestResponse): boolean {
  if (response.statusCode !== 401 && response.statusCode !== 403) return false;
  const detail = (response.json<{ detail?: string }>().detail ?? '').trim();
  return AUTHZ_DETAILS.some((d) => detail.startsWith(d)) || detail === '';
}

async function send(
  route: ApiRoute,
  actor: ActorName,
  bundle: ResourceBundle,
): Promise<LightMyRequestResponse> {
  const named = namedValuesOf(bundle);
  const params = Object.fromEntries(
    route.params.map((p) => [p, paramFixture(route.method, route.url, p).pick(bundle)]),
  );
  const where = `${route.method} ${route.url}`;
  const query = route.schemas.querystring
    ? (oneValid(route.schemas.querystring, named, `${where} querystring`) as Record<
        string,
        unknown
      >)
    : {};
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      search.set(key, String(value));
  }
  const body =
    route.schemas.body && route.method !== 'GET' && route.method !== 'DELETE'
      ? oneValid(route.schemas.body, named, `${where} body`)
      : undefined;
  const agent = actor === 'anonymous' ? null : await world.session(world.actors[actor]);
  const url = fillUrl(route.url, params) + (search.size ? `?${search.toString()}` : '');
  return h.call(agent, route.method, url, body);
}

describe('authorization matrix', () => {
  it('knows a fixture for every route parameter and an access for every visible route', () => {
    const problems: string[] = [];
    for (const route of routes) {
      if (!route.access && !route.hidden) problems.push(`${route.method} ${route.url}: no access`);
      for (const param of route.params) {
        try {
          paramFixture(route.method, route.url, param);
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
    }
    expect(problems).toEqual([]);
    // The matrix sees the routes of every module (a sanity check that the table is complete).
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'GET /health/live',
        'GET /v1/markets',
        'POST /v1/auth/login',
        'GET /v1/team/members',
        'DELETE /v1/api-tokens/:id',
        'GET /health/detailed',
      ]),
    );
  });

  it('answers every route x actor x (own, foreign) ids as its declared access says', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      if (route.hidden && !route.access) continue;
      for (const actor of ACTORS) {
        const ownVendor = actor === 'otherOwner' ? world.vendorB : world.vendorA;
        const foreignVendor = actor === 'otherOwner' ? world.vendorA : world.vendorB;
        for (const foreign of [false, true]) {
          if (foreign && route.params.length === 0) continue;
          const expected = expectationFor(route, actor, foreign);
          const writes = route.method !== 'GET';
          const bundle = foreign
            ? foreignVendor
            : writes
              ? await world.createResources(ownVendor.vendorId)
              : ownVendor;
          const response = await send(route, actor, bundle);
          checked += 1;
          const status = response.statusCode;
          const label = `${route.method} ${route.url} as ${actor} with ${foreign ? 'foreign' : 'own'} ids`;
          const problem = (() => {
            if (status >= 500) return `answered ${status}`;
            if (expected === 'passes') {
              if (isAuthzRefusal(response)) return `refused with ${status}, expected to pass`;
              if (status === 404 && route.method === 'GET' && route.params.length > 0)
                return 'answered 404 for its own resource';
              return null;
            }
            return status === expected ? null : `answered ${status}, expected ${expected}`;
          })();
          if (problem) failures.push(`${label}: ${problem} (${response.body.slice(0, 160)})`);

          // Whatever the answer, it never contains an id of the vendor the actor does not belong to.
          if (actor !== 'anonymous' && actor !== 'admin') {
            const leaked = Object.entries(namedValuesOf(foreignVendor)).filter(
              ([name, id]) => name !== 'date' && !foreign && response.body.includes(id),
            );
            if (leaked.length > 0)
              failures.push(
                `${label}: leaked ${leaked.map(([n]) => n).join(', ')} of the other vendor`,
              );
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(routes.length * ACTORS.length);
    // A bounded sweep (~1,000 requests) that outgrows the default 30 s on a busy 2-core machine.
  }, 180_000);

  it('left both vendors shared resources in place (foreign writes changed nothing)', async () => {
    const client = new pg.Client({ connectionString: h.db.adminUrl });
    await client.connect();
    try {
      for (const bundle of [world.vendorA, world.vendorB]) {
        const { rows } = await client.query<Record<string, boolean>>(
          `SELECT EXISTS (SELECT 1 FROM markets WHERE id = $1 AND archived_at IS NULL) AS market,
                  EXISTS (SELECT 1 FROM products WHERE id = $2) AS product,
                  EXISTS (SELECT 1 FROM market_days WHERE id = $3 AND status = 'SCHEDULED') AS "marketDay",
                  EXISTS (SELECT 1 FROM notifications WHERE id = $4) AS notification,
                  EXISTS (SELECT 1 FROM api_tokens WHERE id = $5 AND revoked_at IS NULL) AS "apiToken",
                  EXISTS (SELECT 1 FROM memberships WHERE user_id = $6) AS member,
                  EXISTS (SELECT 1 FROM sales_imports WHERE id = $7 AND status = 'PREVIEWED') AS "salesImport"`,
          [
            bundle.marketId,
            bundle.productId,
            bundle.marketDayId,
            bundle.notificationId,
            bundle.apiTokenId,
            bundle.memberUserId,
            bundle.importId,
          ],
        );
        expect(rows[0]).toEqual({
          market: true,
          product: true,
          marketDay: true,
          notification: true,
          apiToken: true,
          member: true,
          salesImport: true,
        });
      }
    } finally {
      await client.end();
    }
  });
});
