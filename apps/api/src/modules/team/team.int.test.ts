import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, sessionCookieOf, type Agent, type Harness } from '../../testing/harness';

let h: Harness;
let owner: Agent;

async function inviteAndJoin(role: 'OWNER' | 'STAFF'): Promise<Agent> {
  const invitee = await h.signup({ vendorName: null });
  const invited = await h.call(owner, 'POST', '/v1/team/invitations', {
    email: invitee.email,
    role,
  });
  expect(invited.statusCode).toBe(201);
  const mail = (
    await h.call(null, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(invitee.email)}`)
  ).json<{ data: { text: string }[] }>();
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.data[0]?.text ?? '')?.[1];
  const accepted = await h.call(invitee, 'POST', '/v1/team/invitations/accept', { token });
  expect(accepted.statusCode).toBe(200);
  expect(accepted.json()).toMatchObject({
    activeVendorId: owner.vendorId,
    memberships: [{ vendorId: owner.vendorId, role }],
  });
  return { ...invitee, vendorId: owner.vendorId };
}

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup({ vendorName: 'Owner Bakery' });
});
afterAll(() => h.close());

describe('team', () => {
  it('invites staff by email; the invitee joins with the link and sees the business', async () => {
    const staff = await inviteAndJoin('STAFF');
    const markets = await h.call(staff, 'GET', '/v1/markets');
    expect(markets.statusCode).toBe(200);
    const team = await h.call(owner, 'GET', '/v1/team/members');
    expect(team.json<{ data: { email: string; role: string }[] }>().data).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: staff.email, role: 'STAFF' })]),
    );
  });

  it('keeps staff out of owner-only routes (403)', async () => {
    const staff = await inviteAndJoin('STAFF');
    expect((await h.call(staff, 'GET', '/v1/team/members')).statusCode).toBe(403);
    expect((await h.call(staff, 'GET', '/v1/team/invitations')).statusCode).toBe(403);
    expect(
      (await h.call(staff, 'POST', '/v1/team/invitations', { email: 'x@example.com' })).statusCode,
    ).toBe(403);
    expect((await h.call(staff, 'GET', '/v1/api-tokens')).statusCode).toBe(403);
    expect(
      (await h.call(staff, 'POST', '/v1/api-tokens', { name: 'x', scopes: ['read'] })).statusCode,
    ).toBe(403);
  });

  it('refuses an invitation accepted by a different account, or used twice', async () => {
    const invitee = await h.signup({ vendorName: null });
    const intruder = await h.signup({ vendorName: null });
    await h.call(owner, 'POST', '/v1/team/invitations', { email: invitee.email });
    const mail = (
      await h.call(null, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(invitee.email)}`)
    ).json<{ data: { text: string }[] }>();
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.data[0]?.text ?? '')?.[1];
    expect(
      (await h.call(intruder, 'POST', '/v1/team/invitations/accept', { token })).statusCode,
    ).toBe(403);
    expect(
      (await h.call(invitee, 'POST', '/v1/team/invitations/accept', { token })).statusCode,
    ).toBe(200);
    expect(
      (await h.call(invitee, 'POST', '/v1/team/invitations/accept', { token })).statusCode,
    ).toBe(400);
  });

  it('removes a member (their next request is 403) but never the last owner', async () => {
    const staff = await inviteAndJoin('STAFF');
    expect((await h.call(owner, 'DELETE', `/v1/team/members/${staff.userId}`)).statusCode).toBe(
      204,
    );
    expect((await h.call(staff, 'GET', '/v1/markets')).statusCode).toBe(403);
    const last = await h.call(owner, 'DELETE', `/v1/team/members/${owner.userId}`);
    expect(last.statusCode).toBe(409);
  });

  it("answers 404 for another business's member", async () => {
    const other = await h.signup();
    expect((await h.call(owner, 'DELETE', `/v1/team/members/${other.userId}`)).statusCode).toBe(
      404,
    );
  });
});

describe('API tokens', () => {
  it('creates a token shown once, stores only its hash, and lists it without the secret', async () => {
    const created = await h.call(owner, 'POST', '/v1/api-tokens', {
      name: 'Sheets',
      scopes: ['read'],
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    expect(token).toMatch(/^mp_t_/);
    const row = await h.db.app.prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM api_tokens WHERE token_hash = ${token}`;
    expect(Number(row[0]?.n)).toBe(0);
    const list = await h.call(owner, 'GET', '/v1/api-tokens');
    expect(list.body).not.toContain(token);
    expect(list.json<{ data: { id: string }[] }>().data.map((t) => t.id)).toContain(id);
  });

  it('authenticates with Bearer; a read token cannot write; revocation takes effect at once', async () => {
    const { token, id } = (
      await h.call(owner, 'POST', '/v1/api-tokens', { name: 'ro', scopes: ['read'] })
    ).json<{ token: string; id: string }>();
    const bearer = { authorization: `Bearer ${token}` };
    expect((await h.call(null, 'GET', '/v1/markets', undefined, bearer)).statusCode).toBe(200);
    // Tokens never manage tokens or the team, whatever their scope.
    expect((await h.call(null, 'GET', '/v1/api-tokens', undefined, bearer)).statusCode).toBe(403);
    expect((await h.call(owner, 'DELETE', `/v1/api-tokens/${id}`)).statusCode).toBe(204);
    const after = await h.call(null, 'GET', '/v1/markets', undefined, bearer);
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 401 for a malformed or unknown bearer token and 404 for a foreign token id', async () => {
    expect(
      (await h.call(null, 'GET', '/v1/markets', undefined, { authorization: 'Bearer nope' }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await h.call(null, 'GET', '/v1/markets', undefined, {
          authorization: `Bearer mp_t_${'x'.repeat(43)}`,
        })
      ).statusCode,
    ).toBe(401);
    const other = await h.signup();
    const foreign = (
      await h.call(other, 'POST', '/v1/api-tokens', { name: 'theirs', scopes: ['read'] })
    ).json<{ id: string }>();
    expect((await h.call(owner, 'DELETE', `/v1/api-tokens/${foreign.id}`)).statusCode).toBe(404);
  });

  it('a session cookie from login works like the sign-up one', async () => {
    const login = await h.call(null, 'POST', '/v1/auth/login', {
      email: owner.email,
      password: 'a long enough password',
    });
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: '/v1/markets',
          headers: { cookie: sessionCookieOf(login) },
        })
      ).statusCode,
    ).toBe(200);
  });
});
