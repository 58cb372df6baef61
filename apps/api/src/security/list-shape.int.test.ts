import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHarness, type Agent, type Harness } from '../testing/harness';
import { routeTableOf, type ApiRoute } from '../testing/route-table';

/**
 * One list shape (issue 20): every GET whose answer holds a top-level array is a list, answered
 * as `{ data, nextCursor }` and taking `limit` (and `cursor` when it can have a next page), except
 * the single documents below that carry arrays inside (named, with why). A route added later is
 * held to the rule by this walk over the route table.
 */
const DOCUMENTS: Record<string, string> = {
  'GET /v1/account/export': 'one account, exported whole',
  'GET /v1/admin/billing': 'an overview report',
  'GET /v1/auth/session': 'the session, with its memberships',
  'GET /v1/billing': 'the subscription, with the plans to choose from',
  'GET /v1/check-ins/stats': 'a report over `days`',
  'GET /v1/imports/:importId': 'one import report',
  'GET /v1/insights/accuracy': 'a report over `days`',
  'GET /v1/insights/forecast-vs-actual': 'a report over `from`-`to` (at most two years)',
  'GET /v1/insights/go-no-go': 'a report over `days`',
  'GET /v1/insights/month-changes': 'a report over one `month`',
  'GET /v1/insights/sales': 'a report over `from`-`to`',
  'GET /v1/insights/waste': 'a report over `from`-`to`',
  'GET /v1/insights/weather-effects': 'a report over `from`-`to`',
  'GET /v1/integrations/square': 'the connection, with its scopes',
  'GET /v1/integrations/square/mapping': 'the mapping form (one document)',
  'GET /v1/markets/:marketId': 'one market, with its schedule',
  'GET /v1/markets/:marketId/check-ins/:date': 'one check-in form',
  'GET /v1/markets/:marketId/prep-lists/:date': 'one prep list',
  'GET /v1/plans/week': 'one week plan',
  'GET /v1/webhook-endpoints/:endpointId': 'one endpoint, with its events',
};

/** Documents of routes other engineers are building now (issue 19 week plan, issue 20 webhooks). */
const IN_FLIGHT = new Set(['GET /v1/plans/week', 'GET /v1/webhook-endpoints/:endpointId']);

interface Json {
  $ref?: string;
  $defs?: Record<string, Json>;
  type?: string | string[];
  properties?: Record<string, Json>;
  anyOf?: Json[];
  oneOf?: Json[];
}

function outputJson(schema: z.ZodType): { root: Json; resolve: (node: Json) => Json } {
  const root = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
  }) as Json;
  const resolve = (node: Json): Json =>
    node.$ref ? resolve(root.$defs?.[node.$ref.replace(/^#\/\$defs\//, '')] ?? {}) : node;
  return { root: resolve(root), resolve };
}

const typesOf = (node: Json): string[] =>
  (node.anyOf ?? node.oneOf)
    ? (node.anyOf ?? node.oneOf ?? []).flatMap(typesOf)
    : Array.isArray(node.type)
      ? node.type
      : node.type
        ? [node.type]
        : [];

function queryNames(route: ApiRoute): string[] {
  if (!route.schemas.querystring) return [];
  return Object.keys(outputJson(route.schemas.querystring).root.properties ?? {});
}

let h: Harness;
let routes: ApiRoute[];
let owner: Agent;

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  routes = routeTableOf(h.app);
  owner = await h.signup();
});
afterAll(() => h.close());

describe('one list shape', () => {
  it('answers every list route as { data, nextCursor } and takes limit (route table)', () => {
    const problems: string[] = [];
    const lists: string[] = [];
    for (const route of routes) {
      if (route.method !== 'GET' || route.hidden) continue;
      const ok = route.schemas.response['200'];
      if (!ok) continue;
      const { root, resolve } = outputJson(ok);
      const props = root.properties ?? {};
      const arrays = Object.entries(props)
        .filter(([, node]) => typesOf(resolve(node)).includes('array'))
        .map(([name]) => name);
      const name = `${route.method} ${route.url}`;
      if (typesOf(root).includes('array')) {
        problems.push(`${name}: answers a bare array`);
        continue;
      }
      if (arrays.length === 0 || name in DOCUMENTS) continue;
      lists.push(name);
      const keys = Object.keys(props).sort();
      if (keys.join(',') !== 'data,nextCursor')
        problems.push(`${name}: answers {${keys.join(', ')}}, not {data, nextCursor}`);
      const cursorTypes = props.nextCursor ? typesOf(resolve(props.nextCursor)) : [];
      const query = queryNames(route);
      if (!query.includes('limit')) problems.push(`${name}: takes no limit`);
      // A list whose nextCursor can be a string must take it back as ?cursor=.
      if (cursorTypes.includes('string') && !query.includes('cursor'))
        problems.push(`${name}: hands out a nextCursor but takes no cursor`);
    }
    expect(problems).toEqual([]);
    // The walk saw the lists of every module (a guard against an empty table).
    expect(lists).toEqual(
      expect.arrayContaining([
        'GET /v1/markets',
        'GET /v1/products',
        'GET /v1/api-tokens',
        'GET /v1/team/members',
        'GET /v1/team/invitations',
        'GET /v1/imports',
        'GET /v1/data-exports',
        'GET /v1/admin/jobs/failed',
        'GET /v1/geo/lookup',
        'GET /v1/notifications',
      ]),
    );
  });

  it('names only documents that exist', () => {
    const urls = new Set(routes.map((r) => `${r.method} ${r.url}`));
    // Routes being built now are listed ahead of them; every other entry must exist.
    const missing = Object.keys(DOCUMENTS).filter((d) => !urls.has(d) && !IN_FLIGHT.has(d));
    expect(missing).toEqual([]);
  });

  it('walks a short list page by page with limit and cursor (API tokens, invitations)', async () => {
    for (let i = 0; i < 3; i += 1) {
      const created = await h.call(owner, 'POST', '/v1/api-tokens', {
        name: `token ${i} ${randomUUID().slice(0, 4)}`,
        scopes: ['read'],
      });
      expect(created.statusCode, created.body).toBe(201);
      const invited = await h.call(owner, 'POST', '/v1/team/invitations', {
        email: `invitee-${i}-${randomUUID().slice(0, 6)}@example.com`,
      });
      expect(invited.statusCode, invited.body).toBe(201);
    }
    for (const path of ['/v1/api-tokens', '/v1/team/invitations']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await h.call(
          owner,
          'GET',
          `${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json<{ data: { id: string }[]; nextCursor: string | null }>();
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((item) => item.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages, path).toBe(2);
      expect(new Set(seen).size, path).toBe(3);
    }
    const bad = await h.call(owner, 'GET', '/v1/api-tokens?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('invalid-cursor');
  });
});

describe('OpenAPI security per operation', () => {
  it('declares on every operation what it accepts, from its access', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    }>();
    const schemes = Object.keys(doc.components.securitySchemes);
    const problems: string[] = [];
    for (const route of routes) {
      if (route.hidden) continue;
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      const name = `${route.method} ${route.url}`;
      if (!operation) {
        problems.push(`${name}: not in the document`);
        continue;
      }
      const security = operation.security;
      const names = (security ?? []).flatMap((s) => Object.keys(s)).sort();
      const access = route.access;
      const expected =
        !access || access.kind === 'public'
          ? []
          : access.kind === 'tenant' && !access.sessionOnly
            ? ['bearer', 'session']
            : ['session'];
      if (!security) problems.push(`${name}: no security`);
      else if (names.join() !== expected.join())
        problems.push(`${name}: security ${names.join('+')}, expected ${expected.join('+')}`);
      for (const n of names) if (!schemes.includes(n)) problems.push(`${name}: unknown ${n}`);
    }
    expect(problems).toEqual([]);
    expect(doc.paths['/v1/sales']?.post?.security).toEqual([{ session: [] }, { bearer: [] }]);
    expect(doc.paths['/v1/team/members']?.get?.security).toEqual([{ session: [] }]);
    expect(doc.paths['/health/live']?.get?.security).toEqual([]);
  });
});
