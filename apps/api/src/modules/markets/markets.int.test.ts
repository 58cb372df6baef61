import { createHash, randomUUID } from 'node:crypto';
import { ApiTokensRepository, withTenant } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import { MarketListSchema } from '@marketprep/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';

let db: TestDatabase;
const demoVendor = randomUUID();
const otherVendor = randomUUID();
// Anonymous requests read nothing (issue 16): the market list is read with a read token.
const demoToken = `mp_t_${randomUUID().replace(/-/g, '')}`;
const asDemo = { authorization: `Bearer ${demoToken}` };

async function seedVendor(vendorId: string, marketName: string, timezone: string) {
  await withTenant(db.app.prisma, vendorId, async (tx) => {
    await tx.vendor.create({ data: { id: vendorId, name: marketName, slug: `v-${vendorId}` } });
    const market = await tx.market.create({
      data: {
        vendorId,
        name: marketName,
        address: '1 Main St',
        latitude: 41.88,
        longitude: -87.63,
        timezone,
        countryCode: 'US',
        regionCode: 'IL',
        boothFeeMinor: 6500,
      },
    });
    await tx.marketSchedule.create({
      data: {
        vendorId,
        marketId: market.id,
        weekday: 5,
        opensAt: new Date('1970-01-01T08:00:00Z'),
        closesAt: new Date('1970-01-01T13:00:00Z'),
      },
    });
    for (const date of ['2026-11-21', '2026-11-28', '2026-12-05']) {
      await tx.marketDay.create({
        data: { vendorId, marketId: market.id, date: new Date(`${date}T00:00:00Z`) },
      });
    }
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedVendor(demoVendor, 'Riverside Saturday', 'America/Chicago');
  await seedVendor(otherVendor, 'Someone Else Market', 'America/Chicago');
  await withTenant(db.app.prisma, demoVendor, (tx) =>
    new ApiTokensRepository(tx).createToken({
      vendorId: demoVendor,
      createdByUserId: null,
      name: 'markets test',
      prefix: demoToken.slice(0, 12),
      tokenHash: createHash('sha256').update(demoToken).digest('hex'),
      scopes: ['read'],
      expiresAt: null,
    }),
  );
});
afterAll(() => db.drop());

describe('GET /v1/markets', () => {
  it("lists only the demo vendor's markets, with schedule and next market day", async () => {
    // Sunday 2026-11-22 03:00 in Chicago (09:00 UTC): the next market is Saturday the 28th.
    const app = await buildApp({
      db: db.app,
      devOutbox: true,
      now: () => new Date('2026-11-22T09:00:00Z'),
    });
    const response = await app.inject({ method: 'GET', url: '/v1/markets', headers: asDemo });

    expect(response.statusCode).toBe(200);
    const body = MarketListSchema.parse(response.json());
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      name: 'Riverside Saturday',
      boothFeeMinor: 6500,
      latitude: 41.88,
      schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
      nextMarketDate: '2026-11-28',
    });
    await app.close();
  });

  it("uses the market's own time zone for 'next market day'", async () => {
    // Saturday 2026-11-21 at 23:30 in Chicago is already the 22nd in UTC: the 21st has passed
    // locally only once Chicago's day ends, so at 05:30 UTC the 21st is still today there.
    const app = await buildApp({ db: db.app, now: () => new Date('2026-11-22T05:30:00Z') });
    const body = MarketListSchema.parse(
      (await app.inject({ method: 'GET', url: '/v1/markets', headers: asDemo })).json(),
    );
    expect(body.data[0]?.nextMarketDate).toBe('2026-11-21');
    await app.close();
  });

  it('answers 401 problem+json without a tenant, on a demo instance too', async () => {
    const app = await buildApp({ db: db.app, devOutbox: true });
    const response = await app.inject({ method: 'GET', url: '/v1/markets' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 401, title: 'Not signed in' });
    await app.close();
  });
});
