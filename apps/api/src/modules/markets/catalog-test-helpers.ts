import { randomUUID } from 'node:crypto';
import { MarketSchema, type Market } from '@marketprep/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Agent, Harness } from '../../testing/harness';

/**
 * Creates a market in `agent`'s business: a Chicago market on Saturdays 08:00-13:00 with a $50
 * booth fee, unless `fields` say otherwise.
 */
export async function createMarket(
  h: Harness,
  agent: Agent,
  fields: Record<string, unknown> = {},
): Promise<Market> {
  const response = await h.call(agent, 'POST', '/v1/markets', {
    name: `Market ${randomUUID().slice(0, 8)}`,
    latitude: 41.88,
    longitude: -87.63,
    timezone: 'America/Chicago',
    countryCode: 'US',
    regionCode: 'IL',
    boothFeeMinor: 5000,
    schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
    ...fields,
  });
  expect(response.statusCode, response.body).toBe(201);
  return MarketSchema.parse(response.json());
}

/**
 * Invites a person into `owner`'s business with `role` (a new person, or `invitee`) through the
 * mailed link, and returns them signed in there.
 */
export async function joinAs(
  h: Harness,
  owner: Agent,
  role: 'OWNER' | 'STAFF',
  invitee?: Agent,
): Promise<Agent> {
  const person = invitee ?? (await h.signup({ vendorName: null }));
  const invited = await h.call(owner, 'POST', '/v1/team/invitations', {
    email: person.email,
    role,
  });
  expect(invited.statusCode, invited.body).toBe(201);
  const mail = (
    await h.call(null, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(person.email)}`)
  ).json<{ data: { text: string }[] }>();
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.data[0]?.text ?? '')?.[1];
  const accepted = await h.call(person, 'POST', '/v1/team/invitations/accept', { token });
  expect(accepted.statusCode, accepted.body).toBe(200);
  return { ...person, vendorId: owner.vendorId };
}

/** Asserts a problem+json answer with `status`, and returns its body. */
export function expectProblem(
  response: LightMyRequestResponse,
  status: number,
): { status: number; detail?: string; errors?: { path: string; message: string }[] } {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const body = response.json<{
    status: number;
    detail?: string;
    errors?: { path: string; message: string }[];
  }>();
  expect(body.status).toBe(status);
  return body;
}

/** Reads every page of a list endpoint with `limit`, returning all items and the page count. */
export async function readAllPages<T extends { id: string }>(
  h: Harness,
  agent: Agent,
  url: string,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const page = await h.call(
      agent,
      'GET',
      `${url}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json<{ data: T[]; nextCursor: string | null }>();
    expect(body.data.length).toBeLessThanOrEqual(limit);
    items.push(...body.data);
    cursor = body.nextCursor;
    pages += 1;
    if (pages > 100) throw new Error('pagination does not end');
  } while (cursor);
  return { items, pages };
}
