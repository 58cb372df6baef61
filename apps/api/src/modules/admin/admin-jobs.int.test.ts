import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';

let h: Harness;
let db: pg.Client;
let operator: Agent;
let owner: Agent;

async function outboxRow(status: 'FAILED' | 'PENDING', payload: object, lastError: string | null) {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO outbox (job_name, payload, status, attempts, last_error, request_id)
     VALUES ('square-sync', $1, $2, 8, $3, 'req-12345678') RETURNING id`,
    [JSON.stringify(payload), status, lastError],
  );
  return rows[0]!.id;
}

beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  db = new pg.Client({ connectionString: h.db.adminUrl });
  await db.connect();
  operator = await h.signup({ vendorName: null });
  owner = await h.signup();
  await db.query(`INSERT INTO platform_admins (user_id) VALUES ($1)`, [operator.userId]);
});
afterAll(async () => {
  await db.end();
  await h.close();
});

describe('GET /v1/admin/jobs/failed', () => {
  it('lists FAILED rows newest first with payload ids only', async () => {
    const vendorId = randomUUID();
    const connectionId = randomUUID();
    const failed = await outboxRow(
      'FAILED',
      { vendorId, connectionId, mode: 'backfill', note: 'not for operators' },
      'Invalid payload',
    );
    await outboxRow('PENDING', { vendorId }, null);
    const response = await h.call(operator, 'GET', '/v1/admin/jobs/failed');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ data: Record<string, unknown>[]; nextCursor: string | null }>();
    expect(body.data).toHaveLength(1);
    expect(body.nextCursor).toBeNull();
    expect(body.data[0]).toEqual({
      id: failed,
      jobName: 'square-sync',
      attempts: 8,
      lastError: 'Invalid payload',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      requestId: 'req-12345678',
      payloadIds: { vendorId, connectionId },
    });
    expect(response.body).not.toContain('not for operators');
  });

  it('refuses owners (403) and anonymous callers (401); validates limit', async () => {
    expect((await h.call(owner, 'GET', '/v1/admin/jobs/failed')).statusCode).toBe(403);
    expect((await h.call(null, 'GET', '/v1/admin/jobs/failed')).statusCode).toBe(401);
    expect((await h.call(operator, 'GET', '/v1/admin/jobs/failed?limit=0')).statusCode).toBe(400);
  });
});

describe('POST /v1/admin/jobs/:outboxId/retry', () => {
  it('puts a FAILED row back to PENDING with attempts reset; 404 for others', async () => {
    const id = await outboxRow('FAILED', { vendorId: randomUUID() }, 'boom');
    expect((await h.call(owner, 'POST', `/v1/admin/jobs/${id}/retry`)).statusCode).toBe(403);
    expect((await h.call(null, 'POST', `/v1/admin/jobs/${id}/retry`)).statusCode).toBe(401);
    let row = await db.query<{ status: string }>(`SELECT status FROM outbox WHERE id = $1`, [id]);
    expect(row.rows[0]!.status).toBe('FAILED');

    const response = await h.call(operator, 'POST', `/v1/admin/jobs/${id}/retry`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id, status: 'PENDING' });
    row = await db.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM outbox WHERE id = $1`,
      [id],
    );
    expect(row.rows[0]).toEqual({ status: 'PENDING', attempts: 0 });
    const listed = await h.call(operator, 'GET', '/v1/admin/jobs/failed');
    expect(listed.json<{ data: { id: string }[] }>().data.map((i) => i.id)).not.toContain(id);

    // Already PENDING, unknown id, not a uuid.
    expect((await h.call(operator, 'POST', `/v1/admin/jobs/${id}/retry`)).statusCode).toBe(404);
    const missing = await h.call(operator, 'POST', `/v1/admin/jobs/${randomUUID()}/retry`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect((await h.call(operator, 'POST', '/v1/admin/jobs/nope/retry')).statusCode).toBe(400);
  });

  it('answers 409 when the same work (dedupe key) is pending already, and changes nothing', async () => {
    const key = `retrain:${randomUUID()}`;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO outbox (job_name, payload, dedupe_key, status, attempts, last_error)
       VALUES ('retrain-vendor', '{}', $1, 'FAILED', 8, 'boom'),
              ('retrain-vendor', '{}', $1, 'PENDING', 0, NULL)
       RETURNING id, status`,
      [key],
    );
    const failed = rows[0]!.id;
    const response = await h.call(operator, 'POST', `/v1/admin/jobs/${failed}/retry`);
    expect(response.statusCode, response.body).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const after = await db.query<{ status: string }>(
      `SELECT status FROM outbox WHERE dedupe_key = $1 ORDER BY status::text`,
      [key],
    );
    expect(after.rows.map((r) => r.status)).toEqual(['FAILED', 'PENDING']);
  });
});
