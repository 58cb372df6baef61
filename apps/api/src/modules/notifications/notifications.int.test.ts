import { randomUUID } from 'node:crypto';
import { NotificationsRepository, withTenant } from '@marketprep/db';
import {
  NotificationListSchema,
  NotificationSchema,
  type Notification,
} from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Agent, type Harness } from '../../testing/harness';
import { expectProblem, joinAs, readAllPages } from '../markets/catalog-test-helpers';

const NOW = new Date('2026-11-22T15:00:00Z');

let h: Harness;
let owner: Agent;
let staff: Agent;
let stranger: Agent;

async function notify(
  agent: Agent,
  data: { title: string; minutesAgo: number; userId?: string | null; dedupeKey?: string },
): Promise<string | null> {
  return withTenant(h.db.app.prisma, agent.vendorId!, (tx) =>
    new NotificationsRepository(tx).createNotification({
      vendorId: agent.vendorId!,
      userId: data.userId ?? null,
      kind: 'outlook.changed',
      title: data.title,
      body: `${data.title}: 70% rain expected`,
      data: { marketDate: '2026-11-28' },
      ...(data.dedupeKey ? { dedupeKey: data.dedupeKey } : {}),
      createdAt: new Date(NOW.getTime() - data.minutesAgo * 60_000),
    }),
  );
}

async function titles(agent: Agent, query = ''): Promise<string[]> {
  const response = await h.call(agent, 'GET', `/v1/notifications?limit=200${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return NotificationListSchema.parse(response.json()).data.map((n) => n.title);
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW, rateLimit: false });
  owner = await h.signup({ vendorName: 'Notified Bakery' });
  staff = await joinAs(h, owner, 'STAFF');
  stranger = await h.signup({ vendorName: 'Other Notified' });
  await notify(owner, { title: 'Oldest', minutesAgo: 30 });
  await notify(owner, { title: 'Middle', minutesAgo: 20 });
  await notify(owner, { title: 'Newest', minutesAgo: 10 });
  await notify(owner, { title: 'For the owner only', minutesAgo: 5, userId: owner.userId });
  await notify(stranger, { title: 'Not yours', minutesAgo: 1 });
});
afterAll(() => h.close());

describe('notifications', () => {
  it("lists the team's and the caller's own notifications, newest first", async () => {
    expect(await titles(owner)).toEqual(['For the owner only', 'Newest', 'Middle', 'Oldest']);
    expect(await titles(staff)).toEqual(['Newest', 'Middle', 'Oldest']);
    expect(await titles(stranger)).toEqual(['Not yours']);
    const first = NotificationListSchema.parse(
      (await h.call(owner, 'GET', '/v1/notifications')).json(),
    ).data[1];
    expect(first).toMatchObject({
      kind: 'outlook.changed',
      body: 'Newest: 70% rain expected',
      data: { marketDate: '2026-11-28' },
      readAt: null,
      createdAt: new Date(NOW.getTime() - 10 * 60_000).toISOString(),
    });
  });

  it('stores a deduplicated alert once', async () => {
    const fresh = await h.signup({ vendorName: 'Dedupe Farm' });
    expect(
      await notify(fresh, { title: 'Rain', minutesAgo: 3, dedupeKey: 'rain-2026-11-28' }),
    ).not.toBeNull();
    expect(
      await notify(fresh, { title: 'Rain', minutesAgo: 2, dedupeKey: 'rain-2026-11-28' }),
    ).toBeNull();
    expect(await titles(fresh)).toEqual(['Rain']);
  });

  it('marks one read (idempotently), filters unread, and keeps strangers out', async () => {
    const newest = NotificationListSchema.parse(
      (await h.call(staff, 'GET', '/v1/notifications')).json(),
    ).data[0]!;
    expect(newest.title).toBe('Newest');
    expectProblem(await h.call(stranger, 'POST', `/v1/notifications/${newest.id}/read`), 404);
    expectProblem(await h.call(owner, 'POST', `/v1/notifications/${randomUUID()}/read`), 404);
    expectProblem(await h.call(owner, 'POST', '/v1/notifications/nope/read'), 400);
    expectProblem(await h.call(null, 'POST', `/v1/notifications/${newest.id}/read`), 401);

    const read = await h.call(staff, 'POST', `/v1/notifications/${newest.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(NotificationSchema.parse(read.json())).toMatchObject({
      id: newest.id,
      readAt: NOW.toISOString(),
    });
    const again = await h.call(staff, 'POST', `/v1/notifications/${newest.id}/read`);
    expect(again.json<Notification>().readAt).toBe(NOW.toISOString());
    expect(await titles(owner, '&unread=true')).toEqual(['For the owner only', 'Middle', 'Oldest']);

    // Staff cannot see (or mark) the owner's personal notification.
    const personal = NotificationListSchema.parse(
      (await h.call(owner, 'GET', '/v1/notifications')).json(),
    ).data[0]!;
    expect(personal.title).toBe('For the owner only');
    expectProblem(await h.call(staff, 'POST', `/v1/notifications/${personal.id}/read`), 404);
  });

  it('walks every page without duplicates, newest first', async () => {
    const fresh = await h.signup({ vendorName: 'Paged Notes' });
    for (let i = 0; i < 9; i += 1) {
      // Two share a timestamp: the id breaks the tie.
      await notify(fresh, { title: `n${i}`, minutesAgo: i === 8 ? 7 : i });
    }
    const { items, pages } = await readAllPages<Notification>(h, fresh, '/v1/notifications', 2);
    expect(pages).toBe(5);
    expect(new Set(items.map((n) => n.id)).size).toBe(9);
    expect(items.map((n) => n.title)).toEqual(await titles(fresh));
    expectProblem(await h.call(fresh, 'GET', '/v1/notifications?cursor=eyJ4IjoxfQ'), 400);
    expectProblem(await h.call(fresh, 'GET', '/v1/notifications?unread=yes'), 400);
  });

  it('marks all read for the caller only, and answers 304 when nothing changed', async () => {
    const first = await h.call(staff, 'GET', '/v1/notifications');
    const etag = first.headers.etag as string;
    expect(
      (await h.call(staff, 'GET', '/v1/notifications', undefined, { 'if-none-match': etag }))
        .statusCode,
    ).toBe(304);
    const marked = await h.call(staff, 'POST', '/v1/notifications/read-all');
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toEqual({ updated: 2 });
    expect(
      (await h.call(staff, 'GET', '/v1/notifications', undefined, { 'if-none-match': etag }))
        .statusCode,
    ).toBe(200);
    expect(await titles(staff, '&unread=true')).toEqual([]);
    // The owner's personal one is still unread; the stranger's untouched.
    expect(await titles(owner, '&unread=true')).toEqual(['For the owner only']);
    expect(await titles(stranger, '&unread=true')).toEqual(['Not yours']);
    expectProblem(await h.call(null, 'POST', '/v1/notifications/read-all'), 401);
    expectProblem(await h.call(null, 'GET', '/v1/notifications'), 401);
  });
});
