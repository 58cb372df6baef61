import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { PROBLEM_CODES, PROBLEM_TYPE_BASE, ProblemSchema } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_SESSION_SECRET,
  createWorld,
  namedValuesOf,
  paramFixture,
  type World,
} from '../testing/fixtures';
import { startStripeForTests, type StripeForTests } from '../modules/billing/billing-testing';
import { createHarness, type Harness } from '../testing/harness';
import {
  declaredResponse,
  fillUrl,
  jsonSchemaOf,
  propertyNamesOf,
  routeTableOf,
  sampleValid,
  type ApiRoute,
} from '../testing/route-table';

/**
 * Schema-driven fuzzing (issue 4, RELIABILITY.md "Bad input"): for every operation of the OpenAPI
 * document, REQUESTS_PER_OPERATION requests replayed through `app.inject`, a mix of valid ones
 * (generated with fast-check from the route's own zod schemas) and invalid ones (fields dropped,
 * wrong types, extra fields, huge and odd strings, negative and huge numbers, malformed ids,
 * dates and cursors, broken JSON, prototype-poisoning keys, wrong content types), mostly as
 * vendor A's owner (fresh session + CSRF each time), some anonymously. Pass: no 5xx; every answer
 * matches its declared schema for that status; errors are problem+json; no stack trace, SQL or
 * internals in any body. Deterministic: fast-check runs with a fixed seed per operation.
 */

const REQUESTS_PER_OPERATION = 200;
const CONCURRENCY = 16;

/** Error statuses any route may answer without declaring them (cross-cutting layers). */
const CROSS_CUTTING = new Set([400, 404, 413, 415, 429]);

const LEAKS: [string, RegExp][] = [
  ['stack trace', /\bat (?:async )?[\w$.<>[\]]+ \((?:file:|node:|\/)/],
  ['stack trace', /node:internal|node_modules|\/work\/main/],
  ['Prisma', /PrismaClient|prisma\.\w+\.\w+\(|Invalid `prisma/i],
  ['SQL', /\bSELECT\s+[\w*"., ]+\s+FROM\s/i],
  ['SQL error', /violates (?:foreign key|unique|check|not-null) constraint|duplicate key value/i],
  ['SQL error', /invalid input syntax for type|syntax error at or near|relation "\w+"/i],
  ['driver error', /ECONNREFUSED|ETIMEDOUT|\bpg_\w+\b/],
];

/**
 * Real calendar dates outside any market's life (issue 16: each gave a 500 on market days, events
 * and prep lists), and the edges of the accepted window.
 */
const EXTREME_DATES = [
  '0000-01-01',
  '0001-01-01',
  '1899-12-31',
  '1900-01-01',
  '2200-12-31',
  '2201-01-01',
  '9999-12-31',
];

/** Control characters in text (issue 16: `fileName=%00` on the import gave a 500). */
const CONTROL_CHARACTERS = [
  '\u0000',
  'a\u0000b.csv',
  '\u0007bell',
  'esc\u001b[31m',
  'line\nbreak',
  '\u007f',
];

const BAD_VALUES: unknown[] = [
  null,
  -1,
  -99_999_999,
  0,
  1e308,
  2 ** 53 + 1,
  3.5,
  true,
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000',
  'nul\u0000byte',
  '💥🥖'.repeat(300),
  '\u202Eevil',
  "' OR 1=1 --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '2026-02-30',
  '2026-13-01',
  '99999-01-01',
  ...EXTREME_DATES,
  '1970-01-01T00:00:00Z',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  [],
  [1, 2, 3],
  {},
  { nested: { deeper: [null] } },
];

const BAD_PATH_VALUES = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '6a0f3c2e-9d1b-4c4e-8f1a-000000000000',
  '-1',
  '0',
  '2026-02-30',
  '2026-13-45',
  ...EXTREME_DATES,
  '1; DROP TABLE markets',
  'a'.repeat(300),
  '💥',
  '%00',
  '..',
];

const BAD_QUERY_VALUES = [
  '',
  '-1',
  '0',
  '1e9',
  'abc',
  'null',
  '2026-02-30',
  'not-a-date',
  'eyJpZCI6Im5vdC1hLXV1aWQifQ',
  '!!notbase64!!',
  'x'.repeat(5_000),
  '00000000-0000-0000-0000-000000000000',
  '💥',
  ...EXTREME_DATES,
  ...CONTROL_CHARACTERS,
];

type Mutation = (
  rng: () => number,
  request: { params: Record<string, string>; query: Record<string, string>; body: unknown },
) => { inject?: Partial<InjectOptions>; anonymous?: boolean };

const pick = <T>(rng: () => number, items: readonly T[]): T =>
  items[Math.floor(rng() * items.length)] as T;

function mutateBodyKey(
  body: unknown,
  rng: () => number,
  change: (obj: Record<string, unknown>, key: string) => void,
): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...(body as Record<string, unknown>) };
  const keys = Object.keys(copy);
  change(copy, keys.length > 0 ? pick(rng, keys) : 'unexpected');
  return copy;
}

/** The invalid-request strategies; the valid ones are generated from the schemas. */
const MUTATIONS: Mutation[] = [
  (rng, r) => ({
    inject: { payload: mutateBodyKey(r.body, rng, (o, k) => delete o[k]) as object },
  }),
  (rng, r) => ({
    inject: {
      payload: mutateBodyKey(r.body, rng, (o, k) => (o[k] = pick(rng, BAD_VALUES))) as object,
    },
  }),
  (_rng, r) => ({
    inject: {
      payload: mutateBodyKey(r.body, _rng, (o) => (o.unexpectedField = 'surprise')) as object,
    },
  }),
  (rng) => ({ inject: { payload: JSON.stringify(pick(rng, [[], null, 42, 'text', [{}]])) } }),
  (rng) => ({
    inject: {
      payload: pick(rng, ['{"name": ', '{bad json}', '\u0000', '{"a":1}}', 'null null']),
      headers: { 'content-type': 'application/json' },
    },
  }),
  (_rng, r) => ({
    inject: {
      payload: `{"__proto__": {"polluted": true}, ${JSON.stringify(r.body ?? {}).slice(1)}`.replace(
        ', }',
        '}',
      ),
      headers: { 'content-type': 'application/json' },
    },
  }),
  () => ({
    inject: {
      payload: '{"constructor": {"prototype": {"polluted": true}}}',
      headers: { 'content-type': 'application/json' },
    },
  }),
  () => ({ inject: { payload: 'name=x', headers: { 'content-type': 'text/plain' } } }),
  (rng, r) => {
    const names = Object.keys(r.params);
    if (names.length > 0) r.params[pick(rng, names)] = pick(rng, BAD_PATH_VALUES);
    return {};
  },
  (rng, r) => {
    const names = Object.keys(r.query);
    const key =
      names.length > 0 && rng() < 0.7
        ? pick(rng, names)
        : pick(rng, ['cursor', 'limit', 'from', 'to', 'date', 'marketId', 'fileName']);
    r.query[key] = pick(rng, BAD_QUERY_VALUES);
    return {};
  },
  (rng, r) => {
    for (const key of Object.keys(r.query)) if (rng() < 0.5) delete r.query[key];
    return {};
  },
  // Every date-like field, parameter and query value at once set to one extreme date.
  (rng, r) => {
    const date = pick(rng, EXTREME_DATES);
    const isDateKey = (key: string) => /date|from|to$|until|since/i.test(key);
    for (const key of Object.keys(r.params)) if (isDateKey(key)) r.params[key] = date;
    for (const key of ['from', 'to', 'date', ...Object.keys(r.query)])
      if (isDateKey(key)) r.query[key] = date;
    return {
      inject: {
        payload: mutateBodyKey(r.body, rng, (o) => {
          for (const key of Object.keys(o)) if (isDateKey(key)) o[key] = date;
        }) as object,
      },
    };
  },
  // Control characters in every text the request carries: query values and body strings.
  (rng, r) => {
    const text = pick(rng, CONTROL_CHARACTERS);
    r.query.fileName = text;
    for (const key of Object.keys(r.query)) if (rng() < 0.5) r.query[key] = text;
    return {
      inject: {
        payload: mutateBodyKey(r.body, rng, (o) => {
          for (const key of Object.keys(o)) if (typeof o[key] === 'string') o[key] = text;
        }) as object,
      },
    };
  },
  () => ({ anonymous: true }),
  (rng) => ({
    inject: { url: pick(rng, ['/v1/markets/%E0%A4%A', '/v1/%', '/v1/markets/' + 'a'.repeat(400)]) },
  }),
];

let h: Harness;
let world: World;
let routes: ApiRoute[];
let stripe: StripeForTests;
let operations: { method: string; path: string }[];

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
  const served = await h.app.inject({ method: 'GET', url: '/openapi.json' });
  if (served.statusCode !== 200) throw new Error(`/openapi.json answered ${served.statusCode}`);
  const doc = served.json<{ paths: Record<string, Record<string, unknown>> }>();
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(async () => {
  await world.close();
  await h.close();
  await stripe.stop();
});

function routeOf(operation: { method: string; path: string }): ApiRoute | undefined {
  const url = operation.path.replace(/\{([^}]+)\}/g, ':$1');
  return routes.find((r) => r.method === operation.method && r.url === url);
}

function stringify(query: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).flatMap(([k, v]) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? [[k, String(v)]]
        : [],
    ),
  );
}

/** Checks one answer; returns the problems found. */
function judge(route: ApiRoute, response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const status = response.statusCode;
  const type = String(response.headers['content-type'] ?? '');
  if (status >= 500) problems.push(`answered ${status}`);
  for (const [what, pattern] of LEAKS) {
    if (pattern.test(response.body)) problems.push(`${what} in body`);
  }
  if (status >= 400) {
    if (!type.startsWith('application/problem+json')) problems.push(`${status} is ${type}`);
    else if (!ProblemSchema.safeParse(response.json()).success)
      problems.push(`${status} body is not a Problem`);
    else if (!response.json<{ requestId?: string }>().requestId)
      problems.push(`${status} problem without requestId`);
    else {
      // Every problem names a documented code, and its type is that code's page (docs/errors.md).
      const { code, type: problemType } = response.json<{ code?: string; type: string }>();
      if (!code || !(code in PROBLEM_CODES))
        problems.push(`${status} problem without a known code`);
      else if (problemType !== `${PROBLEM_TYPE_BASE}${code}`)
        problems.push(`${status} problem type does not match its code`);
    }
  }
  const declared = declaredResponse(route, status);
  if (!declared) {
    if (status < 400 && status !== 304) problems.push(`undeclared status ${status}`);
    if (status >= 400 && !CROSS_CUTTING.has(status) && status < 500)
      problems.push(`undeclared status ${status}`);
  } else if (type.includes('json') || status === 204) {
    const body: unknown = response.body === '' ? null : response.json();
    const parsed = declared.safeParse(body);
    if (!parsed.success) problems.push(`${status} body does not match its declared schema`);
  }
  return problems;
}

describe('schema-driven fuzzing', () => {
  it('maps every OpenAPI operation to a route of the table', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
    expect(operations.filter((o) => !routeOf(o))).toEqual([]);
  });

  it(`answers ${REQUESTS_PER_OPERATION} generated requests per operation without 5xx, leaks or schema drift`, async () => {
    const failures = new Map<string, string>();
    let sent = 0;
    const timings = new Map<string, number>();
    const named = namedValuesOf(world.vendorA);
    for (const [index, operation] of operations.entries()) {
      const route = routeOf(operation)!;
      const where = `${route.method} ${route.url}`;
      const started = performance.now();
      const seed = 1_000 + index;
      const validParams = Object.fromEntries(
        route.params.map((p) => [p, paramFixture(route.method, route.url, p).pick(world.vendorA)]),
      );
      const validBodies = route.schemas.body
        ? sampleValid(route.schemas.body, { named, count: 40, seed })
        : [undefined];
      const validQueries = route.schemas.querystring
        ? sampleValid(route.schemas.querystring, { named, count: 40, seed }).map((q) =>
            stringify(q as Record<string, unknown>),
          )
        : [{}];
      // Bodies the schemas accept but nothing here could generate: fail loudly, not silently.
      if (route.schemas.body && validBodies.length === 0)
        failures.set(`${where}: no valid body`, 'add an example to its body schema');
      // Random (not fixture) values for every named field too, to reach "not found" paths.
      const wild = route.schemas.body
        ? sampleValid(route.schemas.body, { count: 20, seed: seed + 7 })
        : [];
      const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
      const rng = (() => {
        let state = seed;
        return () => {
          state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
          return state / 2_147_483_648;
        };
      })();

      const requests = Array.from({ length: REQUESTS_PER_OPERATION }, (_, i) => {
        const request = {
          params: { ...validParams },
          query: { ...(validQueries[i % Math.max(1, validQueries.length)] ?? {}) },
          body:
            (i % 5 === 4 && wild.length > 0 ? wild[i % wild.length] : undefined) ??
            validBodies[i % Math.max(1, validBodies.length)],
        };
        // A third valid, two thirds mutated.
        const mutation = i % 3 === 0 ? {} : pick(rng, MUTATIONS)(rng, request);
        const anonymous = mutation.anonymous ?? i % 10 === 9;
        const search = new URLSearchParams(request.query).toString();
        const inject: InjectOptions = {
          method: route.method,
          url: fillUrl(route.url, request.params) + (search ? `?${search}` : ''),
          ...(hasBody && request.body !== undefined ? { payload: request.body as object } : {}),
          ...(hasBody ? mutation.inject : { url: mutation.inject?.url }),
        };
        if (inject.url === undefined)
          inject.url = fillUrl(route.url, request.params) + (search ? `?${search}` : '');
        return { inject, anonymous };
      });

      for (let start = 0; start < requests.length; start += CONCURRENCY) {
        // One fresh session per batch: a request that signs out cannot starve the rest.
        const session = await world.session(world.actors.owner);
        await Promise.all(
          requests.slice(start, start + CONCURRENCY).map(async ({ inject, anonymous }) => {
            const agent = anonymous ? null : session;
            const headers = {
              ...((inject.headers as Record<string, string> | undefined) ?? {}),
              ...(agent ? { cookie: agent.cookie, 'x-csrf-token': agent.csrf } : {}),
            };
            const response = await h.app.inject({ ...inject, headers });
            sent += 1;
            for (const problem of judge(route, response)) {
              const key = `${where}: ${problem}`;
              if (!failures.has(key))
                failures.set(
                  key,
                  `${route.method} ${(typeof inject.url === 'string' ? inject.url : '').slice(0, 120)} -> ${response.body.slice(0, 200)}`,
                );
            }
          }),
        );
      }
      timings.set(where, Math.round(performance.now() - started));
    }
    const slowest = [...timings.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.info(`fuzz: ${sent} requests; slowest operations (ms): ${JSON.stringify(slowest)}`);
    expect([...failures.entries()].map(([k, v]) => `${k} (e.g. ${v})`)).toEqual([]);
    expect(sent).toBe(operations.length * REQUESTS_PER_OPERATION);
  }, 300_000);

  it('generates valid samples that the schemas accept (the generator itself is sound)', () => {
    const withBodies = routes.filter((r) => r.schemas.body);
    expect(withBodies.length).toBeGreaterThan(5);
    for (const route of withBodies) {
      const samples = sampleValid(route.schemas.body!, { count: 5, seed: 7 });
      for (const sample of samples)
        expect(route.schemas.body!.safeParse(sample).success).toBe(true);
    }
    // Property names come from the JSON Schema of the same zod schema.
    const login = routes.find((r) => r.url === '/v1/auth/login')!;
    expect(propertyNamesOf(login.schemas.body)).toEqual(['email', 'password']);
    expect(jsonSchemaOf(login.schemas.body!)).toBeTruthy();
    expect(fc).toBeTruthy();
  });
});
