import { createDatabaseClient } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('health', () => {
  it('answers live without touching dependencies', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('answers ready when the database answers as the app role', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' } } });
    await app.close();
  });

  it('answers 503 with Retry-After, not 500, when the database is unreachable', async () => {
    // A port nobody listens on: the pool cannot connect.
    const unreachable = createDatabaseClient({
      connectionString: 'postgresql://postgres@127.0.0.1:9/none',
      connectionTimeoutMs: 500,
    });
    const app = await buildApp({ db: unreachable });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      status: 'down',
      checks: { database: { status: 'down' } },
    });
    expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    await app.close();
    await unreachable.close();
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const app = await buildApp({ db: db.app });
    const kept = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'abc-12345678' },
    });
    const replaced = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'bad id\n' },
    });
    expect(kept.headers['x-request-id']).toBe('abc-12345678');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('answers unknown routes with problem+json 404', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, title: 'Not found' });
    await app.close();
  });

  it('serves the OpenAPI 3.1 document generated from the zod schemas', async () => {
    const app = await buildApp({ db: db.app });
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/v1/markets']),
    );
    await app.close();
  });
});
