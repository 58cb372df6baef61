import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTenant } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidPayloadError } from './job';
import { createRetentionHandler, type RetentionRule } from './retention.handler';

const DAY = 24 * 3_600_000;
let db: TestDatabase;
let exportDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  exportDir = await mkdtemp(join(tmpdir(), 'mp-retention-'));
});
afterAll(async () => {
  await db.drop();
  await rm(exportDir, { recursive: true, force: true });
});

/** A vendor with a market day and an owner, to hang tenant rows on. */
async function seedVendor() {
  const vendorId = randomUUID();
  const user = await db.app.prisma.user.create({
    data: { email: `r-${randomUUID()}@example.com`, name: 'R', passwordHash: 'x' },
  });
  return withTenant(db.app.prisma, vendorId, async (tx) => {
    await tx.vendor.create({ data: { id: vendorId, name: 'Keep Bakery', slug: vendorId } });
    const market = await tx.market.create({
      data: {
        vendorId,
        name: 'M',
        latitude: 1,
        longitude: 1,
        timezone: 'UTC',
        countryCode: 'US',
      },
    });
    const day = await tx.marketDay.create({
      data: { vendorId, marketId: market.id, date: new Date('2026-06-06') },
    });
    return { vendorId, userId: user.id, marketId: market.id, marketDayId: day.id };
  });
}

describe('retention', () => {
  it('removes each kind of row once its period is over, and nothing younger', async () => {
    const t0 = new Date('2026-06-10T12:00:00Z');
    const ago = (days: number) => new Date(t0.getTime() - days * DAY);
    const v = await seedVendor();
    const prisma = db.app.prisma;

    // Platform tables.
    await prisma.webhookEvent.createMany({
      data: [
        {
          provider: 'SQUARE',
          eventId: 'old',
          eventType: 'x',
          receivedAt: ago(100),
          payload: { a: 1 },
        },
        {
          provider: 'SQUARE',
          eventId: 'mid',
          eventType: 'x',
          receivedAt: ago(40),
          payload: { a: 1 },
        },
        {
          provider: 'SQUARE',
          eventId: 'new',
          eventType: 'x',
          receivedAt: ago(2),
          payload: { a: 1 },
        },
      ],
    });
    await prisma.outboxMessage.createMany({
      data: [
        { jobName: 'j', payload: {}, status: 'DISPATCHED', dispatchedAt: ago(8) },
        { jobName: 'j', payload: {}, status: 'DISPATCHED', dispatchedAt: ago(6) },
        { jobName: 'j', payload: {}, status: 'FAILED', createdAt: ago(30) },
        { jobName: 'j', payload: {}, status: 'PENDING', createdAt: ago(30) },
      ],
    });
    await prisma.passwordResetToken.createMany({
      data: [
        { userId: v.userId, tokenHash: randomUUID(), expiresAt: ago(3) },
        { userId: v.userId, tokenHash: randomUUID(), expiresAt: new Date(t0.getTime() + DAY) },
      ],
    });
    // Sign-up requests: one whose link expired 3 days ago (goes), one still live (stays).
    await prisma.signupRequest.createMany({
      data: [
        { email: 'old-signup@example.com', name: 'O', passwordHash: 'x', expiresAt: ago(3) },
        {
          email: 'live-signup@example.com',
          name: 'L',
          passwordHash: 'x',
          expiresAt: new Date(t0.getTime() + DAY),
        },
      ],
    });

    // Tenant tables.
    await withTenant(prisma, v.vendorId, async (tx) => {
      await tx.notification.createMany({
        data: [
          { vendorId: v.vendorId, kind: 'k', title: 'read long ago', body: 'b', readAt: ago(91) },
          { vendorId: v.vendorId, kind: 'k', title: 'read lately', body: 'b', readAt: ago(10) },
          { vendorId: v.vendorId, kind: 'k', title: 'unread', body: 'b', createdAt: ago(400) },
        ],
      });
      await tx.invitation.createMany({
        data: [
          {
            vendorId: v.vendorId,
            email: 'a@example.com',
            role: 'STAFF',
            tokenHash: randomUUID(),
            expiresAt: ago(5),
          },
          {
            vendorId: v.vendorId,
            email: 'b@example.com',
            role: 'STAFF',
            tokenHash: randomUUID(),
            expiresAt: new Date(t0.getTime() + 5 * DAY),
          },
        ],
      });
      // Six lists of one market day: the newest CURRENT plus five SUPERSEDED; keep 3 of those.
      for (let i = 0; i < 6; i++) {
        await tx.recommendation.create({
          data: {
            vendorId: v.vendorId,
            marketId: v.marketId,
            marketDayId: v.marketDayId,
            status: i === 5 ? 'CURRENT' : 'SUPERSEDED',
            trigger: 't',
            inputsHash: `h${i}`,
            generatedAt: ago(10 - i),
          },
        });
      }
      // Webhook deliveries: finished ones go after 30 days; one still retrying stays.
      const endpoint = await tx.webhookEndpoint.create({
        data: {
          vendorId: v.vendorId,
          url: 'https://example.com/hook',
          events: ['x'],
          secretEncrypted: Buffer.from('sealed'),
          encryptionKeyId: 'k1',
        },
      });
      await tx.webhookDelivery.createMany({
        data: [
          ['succeeded', 31, 'delivered long ago'],
          ['failed', 40, 'failed long ago'],
          ['pending', 40, 'still retrying'],
          ['succeeded', 29, 'delivered lately'],
        ].map(([status, days, eventType]) => ({
          vendorId: v.vendorId,
          endpointId: endpoint.id,
          eventId: randomUUID(),
          eventType: String(eventType),
          payload: {},
          status: String(status),
          createdAt: ago(Number(days)),
        })),
      });
      await tx.auditLog.createMany({
        data: [
          { vendorId: v.vendorId, actorType: 'system', action: 'old', createdAt: ago(731) },
          { vendorId: v.vendorId, actorType: 'system', action: 'recent', createdAt: ago(700) },
        ],
      });
    });
    // An export whose link lapsed: row EXPIRED, file gone.
    const key = `${v.vendorId}/${randomUUID()}.zip`;
    await mkdir(join(exportDir, v.vendorId), { recursive: true });
    await writeFile(join(exportDir, key), 'zip');
    await withTenant(prisma, v.vendorId, (tx) =>
      tx.dataExportRequest.create({
        data: {
          vendorId: v.vendorId,
          status: 'COMPLETED',
          location: key,
          completedAt: ago(2),
          expiresAt: ago(1),
        },
      }),
    );

    const reported: Partial<Record<RetentionRule, number>> = {};
    const handler = createRetentionHandler({
      db: db.app,
      now: () => t0,
      exportDir,
      policy: { batchSize: 2 },
      onRemoved: (rule, count) => {
        reported[rule] = count;
      },
    });
    const counts = await handler({}, { jobId: 'r1' });
    expect(counts).toEqual({
      webhook_payloads: 1,
      webhook_events: 1,
      outbox: 1,
      password_resets: 1,
      signup_requests: 1,
      audit_log: 1,
      invitations: 1,
      read_notifications: 1,
      webhook_deliveries: 2,
      superseded_prep_lists: 2,
      expired_exports: 1,
    });
    expect(reported).toEqual(counts);

    const hooks = await prisma.webhookEvent.findMany({ orderBy: { eventId: 'asc' } });
    expect(hooks.map((h) => [h.eventId, h.payload])).toEqual([
      ['mid', {}],
      ['new', { a: 1 }],
    ]);
    expect((await prisma.outboxMessage.findMany()).map((o) => o.status).sort()).toEqual([
      'DISPATCHED',
      'FAILED',
      'PENDING',
    ]);
    const left = await withTenant(prisma, v.vendorId, async (tx) => ({
      notifications: (await tx.notification.findMany()).map((n) => n.title).sort(),
      lists: await tx.recommendation.count(),
      current: await tx.recommendation.count({ where: { status: 'CURRENT' } }),
      audit: (await tx.auditLog.findMany()).map((a) => a.action),
      exports: (await tx.dataExportRequest.findMany()).map((e) => [e.status, e.location]),
      deliveries: (await tx.webhookDelivery.findMany()).map((d) => d.eventType).sort(),
    }));
    expect(left).toEqual({
      notifications: ['read lately', 'unread'],
      lists: 4,
      current: 1,
      audit: ['recent'],
      exports: [['EXPIRED', null]],
      deliveries: ['delivered lately', 'still retrying'],
    });
    expect(existsSync(join(exportDir, key))).toBe(false);

    // A second run finds nothing more; a year later the 700-day audit entry goes too.
    const second = (await handler({}, { jobId: 'r2' })) as Record<string, number>;
    expect(Object.values(second).every((n) => n === 0)).toBe(true);
    const later = createRetentionHandler({
      db: db.app,
      now: () => new Date(t0.getTime() + 365 * DAY),
      exportDir,
    });
    expect(await later({}, { jobId: 'r3' })).toMatchObject({ audit_log: 1, webhook_events: 2 });
  });

  it('rejects a bad payload', async () => {
    const handler = createRetentionHandler({ db: db.app, now: () => new Date(), exportDir });
    await expect(handler({ days: 1 }, { jobId: 'x' })).rejects.toThrow(InvalidPayloadError);
  });
});
