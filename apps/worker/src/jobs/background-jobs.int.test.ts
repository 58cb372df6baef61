import { randomUUID } from 'node:crypto';
import { listActiveVendorIds, withTenant } from '@marketprep/db';
import { createTestDatabase, type TestDatabase } from '@marketprep/db/testing';
import {
  BreakerRegistry,
  createNwsClient,
  createOpenMeteoClient,
  createTicketmasterClient,
  startFakeProviders,
  type FakeProviders,
} from '@marketprep/integrations';
import { PrepListPlanner, loadPlansConfig, localDate } from '@marketprep/planning';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackgroundDeps } from './background-deps';
import { addDays } from './background-deps';
import { createBackgroundJobs } from './background-jobs';

const logger = pino({ level: 'silent' });
const TZ = 'America/Chicago';
let db: TestDatabase;
let fakes: FakeProviders;

beforeAll(async () => {
  db = await createTestDatabase();
  fakes = await startFakeProviders();
});
afterAll(async () => {
  await fakes.stop();
  await db.drop();
});

function depsWith(breakers: BreakerRegistry): BackgroundDeps {
  const http = { retries: 0, timeoutMs: 2_000 };
  const now = () => new Date();
  return {
    db: db.app,
    now,
    planner: new PrepListPlanner({ db: db.app, now }),
    providers: {
      breakers,
      nws: createNwsClient({
        userAgent: 'MarketPrep test (ops@example.com)',
        baseUrl: fakes.urls.nws,
        http,
      }),
      openMeteo: createOpenMeteoClient({
        userAgent: 'MarketPrep test',
        forecastBaseUrl: fakes.urls.openMeteoForecast,
        archiveBaseUrl: fakes.urls.openMeteoArchive,
        http,
      }),
      ticketmaster: createTicketmasterClient({
        userAgent: 'MarketPrep test',
        apiKey: fakes.ticketmasterApiKey,
        baseUrl: fakes.urls.ticketmaster,
        http,
      }),
    },
  };
}

function handlerOf(deps: BackgroundDeps, name: string) {
  const job = createBackgroundJobs(deps).find((j) => j.definition.name === name);
  if (!job) throw new Error(`no job ${name}`);
  return (payload: unknown) => job.handler(payload, { jobId: randomUUID(), logger });
}

/** A vendor with one Chicago market open every day, a product, 8 weeks of sales. */
async function seedVendor(options: { observedHistory: boolean }) {
  const vendorId = randomUUID();
  const today = localDate(new Date(), TZ);
  const ids = await withTenant(db.app.prisma, vendorId, async (tx) => {
    await tx.vendor.create({
      data: { id: vendorId, name: 'V', slug: `v-${vendorId.slice(0, 8)}` },
    });
    const market = await tx.market.create({
      data: {
        vendorId,
        name: 'Daily market',
        latitude: 41.88,
        longitude: -87.63,
        timezone: TZ,
        countryCode: 'US',
        regionCode: 'IL',
      },
    });
    await tx.marketSchedule.createMany({
      data: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
        vendorId,
        marketId: market.id,
        weekday,
        opensAt: new Date('1970-01-01T08:00:00Z'),
        closesAt: new Date('1970-01-01T13:00:00Z'),
      })),
    });
    const product = await tx.product.create({
      data: { vendorId, name: 'Sourdough', priceMinor: 900, unitCostMinor: 300 },
    });
    await tx.dailySales.createMany({
      data: Array.from({ length: 56 }, (_, i) => ({
        vendorId,
        marketId: market.id,
        productId: product.id,
        date: new Date(`${addDays(today, -(i + 1))}T00:00:00Z`),
        quantity: 20 + (i % 5),
      })),
    });
    if (options.observedHistory) {
      // Last year's observed weather around this time of year: the climatology.
      await tx.weather.createMany({
        data: Array.from({ length: 60 }, (_, i) => ({
          vendorId,
          marketId: market.id,
          date: new Date(`${addDays(today, -365 - 25 + i)}T00:00:00Z`),
          provider: 'OPEN_METEO' as const,
          kind: 'OBSERVED' as const,
          fetchedAt: new Date(),
          tempMaxC: 20,
          tempMinC: 10,
          precipMm: 2,
        })),
      });
    }
    return { marketId: market.id, productId: product.id };
  });
  return { vendorId, today, ...ids };
}

async function weatherRows(vendorId: string, kind: 'FORECAST' | 'OBSERVED') {
  return withTenant(db.app.prisma, vendorId, (tx) =>
    tx.weather.findMany({
      where: { kind },
      select: { date: true, provider: true, tempMaxC: true },
    }),
  );
}

describe('refresh-weather', () => {
  it('stores FORECAST rows from NWS and Open-Meteo for the next 10 days, then keeps them when providers fail', async () => {
    fakes.setMode('ok');
    const v = await seedVendor({ observedHistory: false });
    const breakers = new BreakerRegistry();
    const deps = depsWith(breakers);
    const refresh = handlerOf(deps, 'refresh-weather');

    const first = (await refresh({ vendorId: v.vendorId })) as Record<string, number>;
    const rows = await weatherRows(v.vendorId, 'FORECAST');
    expect(first.stored).toBe(11);
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((r) => r.provider))).toEqual(new Set(['NWS', 'OPEN_METEO']));
    expect(rows.every((r) => r.tempMaxC !== null)).toBe(true);
    expect(fakes.nws.requests.some((r) => r.userAgent?.includes('MarketPrep test'))).toBe(true);

    // Both providers down: the cached values are stale, nothing is stored over them.
    fakes.setMode('error500');
    try {
      const second = (await refresh({ vendorId: v.vendorId })) as Record<string, number>;
      expect(second).toMatchObject({ stored: 0, skipped: 11 });
      expect(await weatherRows(v.vendorId, 'FORECAST')).toHaveLength(11);
    } finally {
      fakes.setMode('ok');
    }
  });

  it('falls back to climatology when both providers answer 500, opens the breakers, and prep lists still compute', async () => {
    const v = await seedVendor({ observedHistory: true });
    const breakers = new BreakerRegistry({ volumeThreshold: 2, resetTimeoutMs: 60_000 });
    const deps = depsWith(breakers);
    const refresh = handlerOf(deps, 'refresh-weather');
    fakes.setMode('error500');
    try {
      let result: Record<string, number> = {};
      for (let i = 0; i < 3; i++)
        result = (await refresh({ vendorId: v.vendorId })) as typeof result;
      expect(breakers.states()).toMatchObject({ nws: 'open', 'open-meteo': 'open' });
      expect(result.climatology).toBe(11);
      // With the breakers open a refresh logs one line per provider and market, without a stack.
      const lines: { level: number; msg: string; err?: unknown }[] = [];
      const captured = pino(
        { level: 'info' },
        { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) },
      );
      const job = createBackgroundJobs(deps).find((j) => j.definition.name === 'refresh-weather')!;
      await job.handler({ vendorId: v.vendorId }, { jobId: randomUUID(), logger: captured });
      const skipped = lines.filter((l) => l.msg === 'weather provider skipped: breaker open');
      expect(skipped.length).toBeGreaterThan(0);
      expect(skipped.every((l) => l.level === 30 && l.err === undefined)).toBe(true);
      expect(lines.filter((l) => l.msg === 'weather provider failed')).toEqual([]);
      const rows = await weatherRows(v.vendorId, 'FORECAST');
      expect(rows).toHaveLength(11);
      expect(rows.every((r) => r.provider === 'CLIMATOLOGY' && Number(r.tempMaxC) === 20)).toBe(
        true,
      );

      const generate = handlerOf(deps, 'generate-prep-list');
      const date = addDays(v.today, 1);
      const planned = (await generate({
        vendorId: v.vendorId,
        marketId: v.marketId,
        date,
        trigger: 'scheduled-t24',
      })) as { recommendationId: string; recomputed: boolean; lines: number };
      expect(planned).toMatchObject({ recomputed: true, lines: 1 });
      const again = (await generate({ vendorId: v.vendorId, marketId: v.marketId, date })) as {
        recommendationId: string;
        recomputed: boolean;
      };
      expect(again).toMatchObject({
        recomputed: false,
        recommendationId: planned.recommendationId,
      });
      const stored = await withTenant(db.app.prisma, v.vendorId, (tx) =>
        tx.recommendation.findMany({ select: { trigger: true } }),
      );
      expect(stored.map((s) => s.trigger)).toEqual(['scheduled-t24']);
    } finally {
      fakes.setMode('ok');
    }
  });
});

describe('backfill-weather-history, refresh-events, retrain', () => {
  it('backfills OBSERVED rows for past sales days, upserts events once, retrains', async () => {
    fakes.setMode('ok');
    const v = await seedVendor({ observedHistory: false });
    const deps = depsWith(new BreakerRegistry());
    const backfill = handlerOf(deps, 'backfill-weather-history');
    const first = (await backfill({ vendorId: v.vendorId })) as { stored: number };
    // 56 sales days, the last four too recent for the archive.
    expect(first.stored).toBe(52);
    expect(await backfill({ vendorId: v.vendorId })).toEqual({ stored: 0 });
    expect(await weatherRows(v.vendorId, 'OBSERVED')).toHaveLength(52);

    const events = handlerOf(deps, 'refresh-events');
    const lookupStarted = Date.now();
    const once = (await events({ vendorId: v.vendorId })) as { upserted: number };
    const countEvents = () =>
      withTenant(db.app.prisma, v.vendorId, (tx) =>
        tx.event.count({ where: { source: 'TICKETMASTER' } }),
      );
    const afterFirst = await countEvents();
    // Every market's lookup is recorded, those with nothing on nearby too (input health reads it).
    const lookups = await withTenant(db.app.prisma, v.vendorId, (tx) =>
      tx.market.findMany({ select: { eventsLookedUpAt: true } }),
    );
    expect(lookups.length).toBeGreaterThan(0);
    for (const market of lookups) {
      expect(market.eventsLookedUpAt?.getTime()).toBeGreaterThanOrEqual(lookupStarted);
    }
    await events({ vendorId: v.vendorId });
    expect(await countEvents()).toBe(afterFirst);
    expect(afterFirst).toBe(once.upserted);

    const noKey = depsWith(new BreakerRegistry());
    noKey.providers.ticketmaster = createTicketmasterClient({ userAgent: 'x' });
    expect(await handlerOf(noKey, 'refresh-events')({ vendorId: v.vendorId })).toEqual({
      skipped: 'no-api-key',
    });

    const retrain = (await handlerOf(deps, 'retrain-vendor')({ vendorId: v.vendorId })) as {
      observations: number;
    };
    expect(retrain.observations).toBe(56);
    await expect(handlerOf(deps, 'retrain-vendor')({ vendorId: 'nope' })).rejects.toThrow(
      /Invalid payload/,
    );
  });
});

describe('send-alerts and schedules', () => {
  it('notifies heavy rain, a big event and a failing sync once, however often it re-evaluates', async () => {
    const v = await seedVendor({ observedHistory: false });
    const date = addDays(v.today, 2);
    await withTenant(db.app.prisma, v.vendorId, async (tx) => {
      await tx.weather.create({
        data: {
          vendorId: v.vendorId,
          marketId: v.marketId,
          date: new Date(`${date}T00:00:00Z`),
          provider: 'NWS',
          kind: 'FORECAST',
          fetchedAt: new Date(),
          precipProb: 0.8,
          precipMm: 4,
        },
      });
      await tx.event.create({
        data: {
          vendorId: v.vendorId,
          marketId: v.marketId,
          source: 'VENDOR',
          externalId: randomUUID(),
          name: 'Marathon',
          date: new Date(`${addDays(v.today, 3)}T00:00:00Z`),
          expectedAttendance: 20_000,
        },
      });
      await tx.providerConnection.create({
        data: {
          vendorId: v.vendorId,
          provider: 'SQUARE',
          status: 'ERROR',
          externalAccountId: `m-${randomUUID()}`,
          scopes: [],
        },
      });
    });
    const alerts = handlerOf(depsWith(new BreakerRegistry()), 'send-alerts');
    expect(await alerts({ vendorId: v.vendorId })).toEqual({ evaluated: 3, created: 3 });
    expect(await alerts({ vendorId: v.vendorId })).toEqual({ evaluated: 3, created: 0 });
    const kinds = await withTenant(db.app.prisma, v.vendorId, (tx) =>
      tx.notification.findMany({
        select: { kind: true, dedupeKey: true, title: true, body: true },
      }),
    );
    // The vendor reads the market day as everywhere else ("Sat, Dec 5"), never as 2026-12-05.
    const rain = kinds.find((k) => k.kind === 'weather.heavy_rain');
    expect(rain?.title).toMatch(
      /^Heavy rain forecast for .+ on (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d{1,2}(, \d{4})?$/,
    );
    expect(kinds.map((k) => k.title).join(' ')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(kinds.find((k) => k.kind === 'event.big')?.body).toBe(
      'Marathon (about 20,000 people) may bring more customers.',
    );
    expect(kinds.map((k) => k.kind).sort()).toEqual([
      'event.big',
      'sync.failing',
      'weather.heavy_rain',
    ]);
    expect(kinds.find((k) => k.kind === 'weather.heavy_rain')?.dedupeKey).toBe(
      `heavy-rain:${v.marketId}:${date}`,
    );
  });

  it('weather and event alerts are a plan feature: Starter gets only "sync is failing"', async () => {
    const billingPlans = loadPlansConfig();
    const seed = async (plan: 'starter' | 'market') => {
      const v = await seedVendor({ observedHistory: false });
      await withTenant(db.app.prisma, v.vendorId, async (tx) => {
        await tx.weather.create({
          data: {
            vendorId: v.vendorId,
            marketId: v.marketId,
            date: new Date(`${addDays(v.today, 2)}T00:00:00Z`),
            provider: 'NWS',
            kind: 'FORECAST',
            fetchedAt: new Date(),
            precipProb: 0.9,
          },
        });
        await tx.providerConnection.create({
          data: {
            vendorId: v.vendorId,
            provider: 'SQUARE',
            status: 'ERROR',
            externalAccountId: `m-${randomUUID()}`,
            scopes: [],
          },
        });
        await tx.subscription.create({
          data: {
            vendorId: v.vendorId,
            plan,
            status: 'ACTIVE',
            stripeCustomerId: `cus_${randomUUID()}`,
            stripeSubscriptionId: `sub_${randomUUID()}`,
          },
        });
      });
      return v;
    };
    const alerts = handlerOf({ ...depsWith(new BreakerRegistry()), billingPlans }, 'send-alerts');
    const starter = await seed('starter');
    expect(await alerts({ vendorId: starter.vendorId })).toEqual({ evaluated: 1, created: 1 });
    const market = await seed('market');
    expect(await alerts({ vendorId: market.vendorId })).toEqual({ evaluated: 2, created: 2 });
  });

  it('fans schedules out per vendor through the outbox, deduplicated while pending', async () => {
    const v = await seedVendor({ observedHistory: false });
    expect(await listActiveVendorIds(db.app.prisma)).toContain(v.vendorId);
    const deps = depsWith(new BreakerRegistry());
    const schedule = handlerOf(deps, 'schedule-weather-refresh');
    const first = (await schedule({})) as { vendors: number; requested: number };
    expect(first.requested).toBe(first.vendors);
    expect(await schedule({})).toMatchObject({ requested: 0 });
    const rows = await db.app.prisma.outboxMessage.findMany({
      where: { dedupeKey: `refresh-weather:${v.vendorId}` },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      jobName: 'refresh-weather',
      payload: { vendorId: v.vendorId },
    });

    await handlerOf(deps, 'schedule-nightly-retrain')({});
    expect(
      await db.app.prisma.outboxMessage.count({ where: { dedupeKey: `retrain:${v.vendorId}` } }),
    ).toBe(1);
  });
});
