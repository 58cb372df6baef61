import { SquareSyncRepository, withScope } from '@marketprep/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { startSquareForTests } from './square-testing';

/**
 * A Square merchant belongs to one business until that business disconnects (issue 16): a second
 * business connecting the same merchant is refused without touching the first one's connection or
 * its tokens at Square, and after a disconnect the merchant can be connected again.
 */

let h: Harness;
let square: Awaited<ReturnType<typeof startSquareForTests>>;
let admin: pg.Client;
let first: Agent;
let second: Agent;
const publicUrl = 'http://app.marketprep.test';

beforeAll(async () => {
  square = await startSquareForTests();
  h = await createHarness({ square: square.config, publicUrl, rateLimit: false });
  admin = new pg.Client({ connectionString: h.db.adminUrl });
  await admin.connect();
  first = await h.signup({ vendorName: 'First Bakery' });
  second = await h.signup({ vendorName: 'Second Farm' });
});
afterAll(async () => {
  await admin.end();
  await h.close();
  await square.stop();
});

/** Connect -> Square consent (the fake, always the same merchant) -> callback; the result word. */
async function connect(agent: Agent): Promise<string | null> {
  const started = await h.call(agent, 'GET', '/v1/integrations/square/connect');
  expect(started.statusCode, started.body).toBe(200);
  const consent = await fetch(started.json<{ authorizeUrl: string }>().authorizeUrl, {
    redirect: 'manual',
  });
  const back = new URL(consent.headers.get('location')!);
  const callback = await h.call(agent, 'GET', `${back.pathname}${back.search}`);
  expect(callback.statusCode, callback.body).toBe(302);
  return new URL(String(callback.headers.location)).searchParams.get('square');
}

async function connectionOf(agent: Agent) {
  const { rows } = await admin.query<{
    id: string;
    status: string;
    external_account_id: string;
    access_token_encrypted: Buffer | null;
    updated_at: Date;
  }>(
    `SELECT id, status, external_account_id, access_token_encrypted, updated_at
     FROM provider_connections WHERE vendor_id = $1`,
    [agent.vendorId],
  );
  return rows[0] ?? null;
}

function liveTokenOf(row: { access_token_encrypted: Buffer | null } | null): string {
  return square.config.cipher.decrypt(row!.access_token_encrypted!);
}

describe('one business per Square merchant', () => {
  it('refuses a second business without touching the first one (row and token at Square)', async () => {
    expect(await connect(first)).toBe('connected');
    const before = await connectionOf(first);
    const firstToken = liveTokenOf(before);
    expect(square.fake.activeAccessTokens.has(firstToken)).toBe(true);

    expect(await connect(second)).toBe('in-use');
    expect(await connectionOf(second)).toBeNull();
    const after = await connectionOf(first);
    expect(after).toEqual(before);
    // Square's revoke ends every token of the merchant: the refused attempt must not call it.
    expect(square.fake.revokedAccessTokens).toEqual([]);
    expect(square.fake.activeAccessTokens.has(firstToken)).toBe(true);
    const status = await h.call(first, 'GET', '/v1/integrations/square');
    expect(status.json()).toMatchObject({ connected: true, status: 'ACTIVE' });
  });

  it('lets another business connect the merchant once the first disconnected, and the first not back', async () => {
    const disconnected = await h.call(first, 'DELETE', '/v1/integrations/square');
    expect(disconnected.statusCode, disconnected.body).toBe(204);

    expect(await connect(second)).toBe('connected');
    const secondRow = await connectionOf(second);
    expect(secondRow).toMatchObject({
      status: 'ACTIVE',
      external_account_id: square.fake.merchantId,
    });
    const secondToken = liveTokenOf(secondRow);

    // Now the first business is the one refused, and the second keeps its token.
    expect(await connect(first)).toBe('in-use');
    expect(await connectionOf(first)).toMatchObject({ status: 'REVOKED' });
    expect(await connectionOf(second)).toEqual(secondRow);
    expect(square.fake.activeAccessTokens.has(secondToken)).toBe(true);

    // Webhooks of the merchant go to the business that has it now.
    const routed = await withScope(
      h.db.app.prisma,
      { externalAccountId: square.fake.merchantId },
      (tx) => new SquareSyncRepository(tx).findConnectionByMerchant(square.fake.merchantId),
    );
    expect(routed).toMatchObject({ vendorId: second.vendorId, status: 'ACTIVE' });
  });

  it('lets the same business reconnect after its own disconnect', async () => {
    expect((await h.call(second, 'DELETE', '/v1/integrations/square')).statusCode).toBe(204);
    expect(await connect(second)).toBe('connected');
    expect(await connectionOf(second)).toMatchObject({ status: 'ACTIVE' });
  });
});
