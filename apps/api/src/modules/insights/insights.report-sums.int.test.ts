import {
  CheckInStatsSchema,
  ForecastVsActualSchema,
  GoNoGoSchema,
  SalesInsightsSchema,
  WasteInsightsSchema,
  WeatherEffectsSchema,
} from '@marketprep/contracts';
import {
  DEMO_VENDOR_ID,
  FeedbackRepository,
  withTenant,
  type TenantTransaction,
} from '@marketprep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedAndSignInDemo, type Agent, type Harness } from '../../testing/harness';
import { addDays, localDate } from '@marketprep/planning';
import { HOT_TEMP_MAX_C, RAINY_PRECIP_MM } from './insights.service';

// The report routes sum in PostgreSQL. Each answer here is held against the same report computed
// row by row from what the tables hold (the reference below reads every row, as the routes once
// did), on two years of demo history with the cases the demo lacks added: several weather rows
// for a date (observed and forecast, fetched at different times), weather with no amount or no
// temperature, sales on a date without weather, check-ins without `sold` with and without sales.

// Sunday 2026-11-22, 14:00 in Chicago: the demo's history ends yesterday.
const NOW = new Date('2026-11-22T20:00:00Z');
const TODAY = '2026-11-22';

let h: Harness;
let demo: Agent;
let marketIds: string[];
let productIds: string[];

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const iso = (value: Date) => value.toISOString().slice(0, 10);
const num = (value: { toNumber(): number } | null) => (value === null ? null : value.toNumber());
const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
const inTenant = <T>(fn: (tx: TenantTransaction) => Promise<T>) =>
  withTenant(h.db.app.prisma, DEMO_VENDOR_ID, fn);

/** Adds the cases the demo lacks to its history (see the comment at the top). */
async function addEdgeCases(): Promise<void> {
  await inTenant(async (tx) => {
    const weather = await tx.weather.findMany({
      where: { date: { gte: day('2025-06-01'), lt: day(TODAY) } },
      orderBy: [{ date: 'desc' }, { marketId: 'asc' }],
      take: 12,
    });
    const [a, b, c, d, e, f, g] = weather;
    if (!a || !b || !c || !d || !e || !f || !g) throw new Error('too little demo weather');
    const later = new Date(NOW.getTime() + 3_600_000);
    const copy = (w: typeof a) => ({
      vendorId: w.vendorId,
      marketId: w.marketId,
      date: w.date,
      summary: 'edge case',
    });
    // A later forecast that says the opposite: the observation still wins.
    await tx.weather.create({
      data: {
        ...copy(a),
        provider: 'DEMO',
        kind: 'FORECAST',
        fetchedAt: later,
        tempMaxC: (num(a.tempMaxC) ?? 0) >= HOT_TEMP_MAX_C ? 10 : 35,
        precipMm: (num(a.precipMm) ?? 0) >= RAINY_PRECIP_MM ? 0 : 20,
      },
    });
    // A later observation of another provider: the latest observation wins.
    await tx.weather.create({
      data: {
        ...copy(b),
        provider: 'OPEN_METEO',
        kind: 'OBSERVED',
        fetchedAt: later,
        tempMaxC: (num(b.tempMaxC) ?? 0) >= HOT_TEMP_MAX_C ? 5 : 31,
        precipMm: (num(b.precipMm) ?? 0) >= RAINY_PRECIP_MM ? 0.2 : 4,
      },
    });
    // Only forecasts: the latest fetch wins; its rain is a chance, no amount.
    await tx.weather.delete({ where: { id: c.id } });
    await tx.weather.createMany({
      data: [
        {
          ...copy(c),
          provider: 'NWS',
          kind: 'FORECAST',
          fetchedAt: NOW,
          tempMaxC: 30,
          precipProb: 0.2,
        },
        {
          ...copy(c),
          provider: 'OPEN_METEO',
          kind: 'FORECAST',
          fetchedAt: later,
          tempMaxC: 12,
          precipProb: 0.5,
        },
      ],
    });
    // Two forecasts fetched at the same time: the smaller id wins.
    await tx.weather.delete({ where: { id: d.id } });
    await tx.weather.createMany({
      data: [
        {
          ...copy(d),
          provider: 'NWS',
          kind: 'FORECAST',
          fetchedAt: NOW,
          tempMaxC: 29,
          precipMm: 3,
        },
        {
          ...copy(d),
          provider: 'OPEN_METEO',
          kind: 'FORECAST',
          fetchedAt: NOW,
          tempMaxC: 8,
          precipMm: 0,
        },
      ],
    });
    // No amount and no chance: neither rainy nor dry; no temperature: neither hot nor mild.
    await tx.weather.update({ where: { id: e.id }, data: { precipMm: null, precipProb: null } });
    await tx.weather.update({ where: { id: f.id }, data: { tempMaxC: null } });
    // Sales on a date without weather.
    await tx.weather.delete({ where: { id: g.id } });

    // A seasonal opening beside the demo's all-year ones.
    const schedule = await tx.marketSchedule.findFirstOrThrow({ orderBy: { id: 'asc' } });
    await tx.marketSchedule.create({
      data: {
        vendorId: schedule.vendorId,
        marketId: schedule.marketId,
        weekday: (schedule.weekday + 3) % 7,
        opensAt: new Date('1970-01-01T16:30:00Z'),
        closesAt: new Date('1970-01-01T20:00:00Z'),
        seasonFrom: day('2000-06-01'),
        seasonTo: day('2000-09-30'),
      },
    });

    // Check-ins without `sold`: some with sales that day, one without.
    const lines = await tx.feedback.findMany({
      where: { marketDay: { date: { gte: day('2026-10-01'), lt: day(TODAY) } } },
      orderBy: [{ marketDay: { date: 'desc' } }, { productId: 'asc' }],
      take: 10,
      select: { id: true, productId: true, marketDay: { select: { marketId: true, date: true } } },
    });
    if (lines.length < 10) throw new Error('too few demo check-ins');
    await tx.feedback.updateMany({
      where: { id: { in: lines.slice(0, 6).map((l) => l.id) } },
      data: { sold: null },
    });
    // Checked-in sold that the sales data disagree with: the check-in counts.
    for (const l of lines.slice(6)) {
      await tx.dailySales.updateMany({
        where: { marketId: l.marketDay.marketId, productId: l.productId, date: l.marketDay.date },
        data: { quantity: { increment: 3 } },
      });
    }
    const unsold = lines[0]!;

    // Prep lists on past check-in days (the demo keeps none): per day an older superseded list, the
    // current one and a newer superseded one (the current one counts); one day with superseded
    // lists only (the newest counts). Quantities around what was sold, some overridden.
    const checkedDays = await tx.marketDay.findMany({
      where: { date: { gte: day('2026-06-01'), lt: day(TODAY) }, feedback: { some: {} } },
      orderBy: [{ date: 'desc' }, { marketId: 'asc' }],
      take: 9,
      include: { feedback: true },
    });
    let n = 0;
    for (const [i, md] of checkedDays.entries()) {
      const lists: ['CURRENT' | 'SUPERSEDED', number, number][] =
        i === 0
          ? [
              ['SUPERSEDED', 1, 3],
              ['SUPERSEDED', 2, -2],
            ]
          : [
              ['SUPERSEDED', 1, 7],
              ['CURRENT', 2, 1],
              ['SUPERSEDED', 3, -4],
            ];
      for (const [status, hour, shift] of lists) {
        const rec = await tx.recommendation.create({
          data: {
            vendorId: DEMO_VENDOR_ID,
            marketId: md.marketId,
            marketDayId: md.id,
            status,
            trigger: 'test',
            inputsHash: `edge-${md.id}-${hour}`,
            generatedAt: new Date(md.date.getTime() - (12 - hour) * 3_600_000),
          },
        });
        // Some products of the day have no line (no prep list for them).
        for (const [j, f] of md.feedback.entries()) {
          if (j % 4 === 3) continue;
          n += 1;
          const q50 = Math.max(0, f.brought.toNumber() + shift + 1.5 - (j % 3) * 3);
          await tx.recommendationLine.create({
            data: {
              vendorId: DEMO_VENDOR_ID,
              recommendationId: rec.id,
              productId: f.productId,
              q10: Math.max(0, q50 - 4),
              q50,
              q90: q50 + 4,
              criticalRatio: 0.6,
              qCritical: q50,
              quantity: Math.max(0, Math.round(q50 + shift)),
              overrideQuantity: n % 5 === 0 ? Math.round(q50) + 2 : null,
              expectedSold: q50,
              expectedRevenueMinor: BigInt(Math.round(q50 * 500)),
              modelRung: 'test',
              dataSufficiency: 'test',
              explanation: {},
            },
          });
        }
      }
    }
    await tx.dailySales.deleteMany({
      where: {
        marketId: unsold.marketDay.marketId,
        productId: unsold.productId,
        date: unsold.marketDay.date,
      },
    });
  });
}

beforeAll(async () => {
  h = await createHarness({ now: () => NOW });
  demo = await seedAndSignInDemo(h, { today: TODAY, now: NOW });
  await addEdgeCases();
  ({ marketIds, productIds } = await inTenant(async (tx) => ({
    marketIds: (await tx.market.findMany({ orderBy: { name: 'asc' } })).map((m) => m.id),
    productIds: (await tx.product.findMany({ orderBy: { name: 'asc' } })).map((p) => p.id),
  })));
}, 180_000);
afterAll(() => h.close());

async function get<T>(url: string, schema: { parse(value: unknown): T }): Promise<T> {
  const response = await h.call(demo, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return schema.parse(response.json());
}

const qs = (query: Record<string, string | number | undefined>) =>
  Object.entries(query)
    .flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]))
    .join('&');

async function readSales(
  tx: TenantTransaction,
  q: { from: string; to: string; marketId?: string; productId?: string },
) {
  const rows = await tx.dailySales.findMany({
    where: {
      date: { gte: day(q.from), lte: day(q.to) },
      ...(q.marketId ? { marketId: q.marketId } : {}),
      ...(q.productId ? { productId: q.productId } : {}),
    },
    orderBy: [{ date: 'asc' }, { marketId: 'asc' }, { productId: 'asc' }],
  });
  return rows.map((r) => ({
    marketId: r.marketId,
    productId: r.productId,
    date: iso(r.date),
    quantity: r.quantity.toNumber(),
    revenueMinor: Number(r.revenueMinor),
  }));
}

async function readFeedback(
  tx: TenantTransaction,
  q: { from: string; to: string; marketIds?: string[]; productId?: string },
) {
  const rows = await tx.feedback.findMany({
    where: {
      marketDay: {
        date: { gte: day(q.from), lte: day(q.to) },
        ...(q.marketIds ? { marketId: { in: q.marketIds } } : {}),
      },
      ...(q.productId ? { productId: q.productId } : {}),
    },
    include: { marketDay: true },
  });
  return rows.map((r) => ({
    marketDayId: r.marketDayId,
    marketId: r.marketDay.marketId,
    date: iso(r.marketDay.date),
    productId: r.productId,
    brought: r.brought.toNumber(),
    sold: num(r.sold),
    leftOver: r.leftOver.toNumber(),
    wasted: r.wasted.toNumber(),
    donated: r.donated.toNumber(),
    soldOut: r.soldOutAt !== null || (r.brought.toNumber() > 0 && r.leftOver.toNumber() === 0),
  }));
}

/** Sold as the reports count it: checked in, else sales data, else brought - left over. */
function soldOf(
  f: Awaited<ReturnType<typeof readFeedback>>[number],
  sales: Awaited<ReturnType<typeof readSales>>,
) {
  const sale = sales.find(
    (s) => s.marketId === f.marketId && s.productId === f.productId && s.date === f.date,
  );
  return f.sold ?? sale?.quantity ?? Math.max(0, f.brought - f.leftOver);
}

/** Weather effects from every row: the reference the route must equal. */
function referenceWeatherEffects(q: {
  from: string;
  to: string;
  marketId?: string;
  productId?: string;
}) {
  return inTenant(async (tx) => {
    const sales = await readSales(tx, q);
    const rows = await tx.weather.findMany({
      where: {
        date: { gte: day(q.from), lte: day(q.to) },
        ...(q.marketId ? { marketId: q.marketId } : {}),
      },
    });
    // Observed beats forecast, then the latest fetch, then the smallest id.
    const better = (x: (typeof rows)[number], y: (typeof rows)[number]) =>
      x.kind !== y.kind
        ? x.kind === 'OBSERVED'
        : x.fetchedAt.getTime() !== y.fetchedAt.getTime()
          ? x.fetchedAt > y.fetchedAt
          : x.id < y.id;
    const weatherOf = new Map<string, (typeof rows)[number]>();
    for (const w of rows) {
      const key = `${w.marketId}|${iso(w.date)}`;
      const held = weatherOf.get(key);
      if (!held || better(w, held)) weatherOf.set(key, w);
    }
    const ids = q.productId ? [q.productId] : [...new Set(sales.map((s) => s.productId))];
    const products = await tx.product.findMany({ where: { id: { in: ids } } });
    type Group = { days: number; units: number };
    type Classes = { rainy: Group; dry: Group; hot: Group; mild: Group };
    // Per product, per market and month of a year: days are compared within them only.
    const sums = new Map(
      products.map((p) => [p.id, { name: p.name, strata: new Map<string, Classes>() }]),
    );
    for (const s of sales) {
      const w = weatherOf.get(`${s.marketId}|${s.date}`);
      const g = sums.get(s.productId);
      if (!w || !g) continue;
      const stratumKey = `${s.marketId}|${s.date.slice(0, 7)}`;
      let stratum = g.strata.get(stratumKey);
      if (!stratum) {
        stratum = {
          rainy: { days: 0, units: 0 },
          dry: { days: 0, units: 0 },
          hot: { days: 0, units: 0 },
          mild: { days: 0, units: 0 },
        };
        g.strata.set(stratumKey, stratum);
      }
      const precipMm = num(w.precipMm);
      const precipProb = num(w.precipProb);
      const tempMaxC = num(w.tempMaxC);
      const rainy =
        precipMm !== null
          ? precipMm >= RAINY_PRECIP_MM
          : precipProb !== null
            ? precipProb >= 0.5
            : null;
      const add = (group: Group) => {
        group.days += 1;
        group.units += s.quantity;
      };
      if (rainy !== null) add(rainy ? stratum.rainy : stratum.dry);
      if (tempMaxC !== null) add(tempMaxC >= HOT_TEMP_MAX_C ? stratum.hot : stratum.mild);
    }
    // Each day of `of` against its stratum's mean of `against`: observed over expected.
    const compare = (strata: Iterable<Classes>, of: keyof Classes, against: keyof Classes) => {
      const matched = [...strata].filter((c) => c[of].days > 0 && c[against].days > 0);
      const days = matched.reduce((sum, c) => sum + c[of].days, 0);
      const units = matched.reduce((sum, c) => sum + c[of].units, 0);
      const expected = matched.reduce(
        (sum, c) => sum + (c[of].days * c[against].units) / c[against].days,
        0,
      );
      // The route sums the strata in another order: a mean at x.xxx5 may round either way.
      const near = (value: number, digits: number) => expect.closeTo(value, digits) as number;
      return {
        side: { days, meanUnits: days > 0 ? near(units / days, 2) : null },
        other: {
          days: matched.reduce((sum, c) => sum + c[against].days, 0),
          meanUnits: days > 0 ? near(expected / days, 2) : null,
        },
        effect: days > 0 && expected > 0 ? near(units / expected - 1, 3) : null,
      };
    };
    return {
      from: q.from,
      to: q.to,
      thresholds: { rainyPrecipMm: RAINY_PRECIP_MM, hotTempMaxC: HOT_TEMP_MAX_C },
      data: [...sums.entries()]
        .map(([productId, g]) => {
          const rain = compare(g.strata.values(), 'rainy', 'dry');
          const heat = compare(g.strata.values(), 'hot', 'mild');
          return {
            productId,
            productName: g.name,
            rainy: rain.side,
            dry: rain.other,
            hot: heat.side,
            mild: heat.other,
            rainEffect: rain.effect,
            heatEffect: heat.effect,
          };
        })
        .sort((a, b) => a.productName.localeCompare(b.productName)),
    };
  });
}

/** Waste per market day from every check-in line: the reference the route must equal. */
function referenceWaste(q: { from: string; to: string; marketId?: string }) {
  return inTenant(async (tx) => {
    const feedback = await readFeedback(tx, {
      ...q,
      marketIds: q.marketId ? [q.marketId] : undefined,
    });
    const sales = await readSales(tx, q);
    const products = new Map((await tx.product.findMany()).map((p) => [p.id, p]));
    const markets = new Map((await tx.market.findMany()).map((m) => [m.id, m.name]));
    const days = new Map<
      string,
      {
        marketId: string;
        marketName: string;
        date: string;
        brought: number;
        sold: number;
        wasted: number;
        donated: number;
        sellOuts: number;
        cost: number;
      }
    >();
    for (const f of feedback) {
      const d = days.get(f.marketDayId) ?? {
        marketId: f.marketId,
        marketName: markets.get(f.marketId) ?? '',
        date: f.date,
        brought: 0,
        sold: 0,
        wasted: 0,
        donated: 0,
        sellOuts: 0,
        cost: 0,
      };
      days.set(f.marketDayId, d);
      const p = products.get(f.productId)!;
      d.brought = round(d.brought + f.brought, 3);
      d.sold = round(d.sold + soldOf(f, sales), 3);
      d.wasted = round(d.wasted + f.wasted, 3);
      d.donated = round(d.donated + f.donated, 3);
      if (f.soldOut) d.sellOuts += 1;
      d.cost += f.wasted * Math.max(0, p.unitCostMinor - p.salvageValueMinor);
    }
    return {
      from: q.from,
      to: q.to,
      data: [...days.values()]
        .map(({ cost, ...d }) => ({ ...d, wasteCostMinor: Math.round(cost) }))
        .sort((a, b) => a.date.localeCompare(b.date) || a.marketName.localeCompare(b.marketName)),
    };
  });
}

/** One check-in line as the stats read it. */
interface StatsObservation {
  marketDayId: string;
  brought: number;
  sold: number;
  wasted: number;
  donated: number;
  soldOut: boolean;
  recommended: number | null;
  q50: number | null;
  priceMinor: number;
  unitCostMinor: number;
  salvageValueMinor: number;
}

/** The stats' figures of a group of lines, line by line. */
function referenceFigures(observations: StatsObservation[]) {
  const n = observations.length;
  const censored = observations.filter((o) => o.soldOut);
  const comparable = observations.filter((o) => !o.soldOut && o.recommended !== null);
  const sum = (pick: (o: StatsObservation) => number, of = observations) =>
    of.reduce((acc, o) => acc + pick(o), 0);
  const brought = sum((o) => o.brought);
  const wasted = sum((o) => o.wasted);
  const errors = comparable.map((o) => (o.recommended ?? 0) - o.sold);
  const moneyLeft = sum(
    (o) => Math.max(0, (o.q50 ?? 0) - o.sold) * Math.max(0, o.priceMinor - o.unitCostMinor),
    censored.filter((o) => o.q50 !== null),
  );
  return {
    marketDays: new Set(observations.map((o) => o.marketDayId)).size,
    accuracyDays: comparable.length,
    censoredDays: censored.length,
    meanAbsoluteError:
      errors.length === 0
        ? null
        : round(errors.reduce((a, e) => a + Math.abs(e), 0) / errors.length, 3),
    bias: errors.length === 0 ? null : round(errors.reduce((a, e) => a + e, 0) / errors.length, 3),
    wasteRate: brought > 0 ? round(wasted / brought, 4) : null,
    sellOutRate: n > 0 ? round(censored.length / n, 4) : null,
    brought: round(brought, 3),
    sold: round(
      sum((o) => o.sold),
      3,
    ),
    wasted: round(wasted, 3),
    donated: round(
      sum((o) => o.donated),
      3,
    ),
    moneyLeftOnTableMinor: Math.round(moneyLeft),
    wasteCostMinor: Math.round(
      sum((o) => o.wasted * Math.max(0, o.unitCostMinor - o.salvageValueMinor)),
    ),
  };
}

/** Check-in stats from every line, each market over its own last `days` days: the reference. */
function referenceStats(q: { days: number; marketId?: string; productId?: string }) {
  return inTenant(async (tx) => {
    const markets = await tx.market.findMany({
      where: q.marketId ? { id: q.marketId } : {},
      orderBy: { name: 'asc' },
    });
    const windows = new Map(
      markets.map((m) => {
        const to = localDate(NOW, m.timezone);
        return [m.id, { from: addDays(to, -(q.days - 1)), to }];
      }),
    );
    const from = [...windows.values()].map((w) => w.from).sort()[0]!;
    const to = [...windows.values()]
      .map((w) => w.to)
      .sort()
      .at(-1)!;
    const feedback = (
      await readFeedback(tx, {
        from,
        to,
        marketIds: markets.map((m) => m.id),
        productId: q.productId,
      })
    ).filter(
      (f) => f.date >= windows.get(f.marketId)!.from && f.date <= windows.get(f.marketId)!.to,
    );
    const sales = await readSales(tx, { from, to, productId: q.productId });
    const products = new Map((await tx.product.findMany()).map((p) => [p.id, p]));
    // Each day's CURRENT list with the latest generatedAt, else its latest; ties: smaller id.
    const recommendations = await tx.recommendation.findMany({
      where: { marketDayId: { in: [...new Set(feedback.map((f) => f.marketDayId))] } },
      include: { lines: true },
    });
    const chosen = new Map<string, (typeof recommendations)[number]>();
    const better = (x: (typeof recommendations)[number], y: (typeof recommendations)[number]) =>
      (x.status === 'CURRENT') !== (y.status === 'CURRENT')
        ? x.status === 'CURRENT'
        : x.generatedAt.getTime() !== y.generatedAt.getTime()
          ? x.generatedAt > y.generatedAt
          : x.id < y.id;
    for (const r of recommendations) {
      const held = chosen.get(r.marketDayId);
      if (!held || better(r, held)) chosen.set(r.marketDayId, r);
    }
    const byMarket = new Map<string, StatsObservation[]>();
    const byProduct = new Map<string, StatsObservation[]>();
    for (const f of feedback) {
      const p = products.get(f.productId)!;
      const line = chosen.get(f.marketDayId)?.lines.find((l) => l.productId === f.productId);
      const observation: StatsObservation = {
        marketDayId: f.marketDayId,
        brought: f.brought,
        sold: soldOf(f, sales),
        wasted: f.wasted,
        donated: f.donated,
        soldOut: f.soldOut,
        recommended: line ? (line.overrideQuantity ?? line.quantity) : null,
        q50: line ? line.q50.toNumber() : null,
        priceMinor: p.priceMinor,
        unitCostMinor: p.unitCostMinor,
        salvageValueMinor: p.salvageValueMinor,
      };
      byMarket.set(f.marketId, [...(byMarket.get(f.marketId) ?? []), observation]);
      const key = `${f.marketId}|${f.productId}`;
      byProduct.set(key, [...(byProduct.get(key) ?? []), observation]);
    }
    const nameOf = new Map(markets.map((m) => [m.id, m.name]));
    return {
      days: q.days,
      markets: markets.map((m) => ({
        marketId: m.id,
        marketName: m.name,
        ...windows.get(m.id)!,
        ...referenceFigures(byMarket.get(m.id) ?? []),
      })),
      products: [...byProduct.entries()]
        .map(([key, observations]) => {
          const [marketId = '', productId = ''] = key.split('|');
          return {
            marketId,
            marketName: nameOf.get(marketId) ?? '',
            productId,
            productName: products.get(productId)?.name ?? '',
            ...referenceFigures(observations),
          };
        })
        .sort(
          (a, b) =>
            a.marketName.localeCompare(b.marketName) || a.productName.localeCompare(b.productName),
        ),
    };
  });
}

/** Sales per market day from every row: the reference the route must equal. */
function referenceSales(q: { from: string; to: string; marketId?: string }) {
  return inTenant(async (tx) => {
    const sales = await readSales(tx, q);
    const products = new Map((await tx.product.findMany()).map((p) => [p.id, p.name]));
    const markets = new Map((await tx.market.findMany()).map((m) => [m.id, m.name]));
    type Day = {
      marketId: string;
      marketName: string;
      date: string;
      units: number;
      revenueMinor: number;
      products: { productId: string; productName: string; units: number; revenueMinor: number }[];
    };
    const days = new Map<string, Day>();
    for (const s of sales) {
      const key = `${s.date}|${s.marketId}`;
      const d: Day = days.get(key) ?? {
        marketId: s.marketId,
        marketName: markets.get(s.marketId) ?? '',
        date: s.date,
        units: 0,
        revenueMinor: 0,
        products: [],
      };
      days.set(key, d);
      d.units = round(d.units + s.quantity, 3);
      d.revenueMinor += s.revenueMinor;
      d.products.push({
        productId: s.productId,
        productName: products.get(s.productId) ?? '',
        units: s.quantity,
        revenueMinor: s.revenueMinor,
      });
    }
    const data = [...days.values()].sort(
      (a, b) => a.date.localeCompare(b.date) || a.marketName.localeCompare(b.marketName),
    );
    for (const d of data) d.products.sort((a, b) => a.productName.localeCompare(b.productName));
    return { from: q.from, to: q.to, data };
  });
}

describe('report routes sum in the database and answer as row-by-row sums would', () => {
  it('GET /v1/insights/weather-effects: two years, by market, by product, by both', async () => {
    const market = marketIds[0]!;
    const product = productIds[1]!;
    const cases = [
      { from: '2024-11-23', to: '2026-11-23' },
      { from: '2024-11-23', to: '2026-11-23', marketId: market },
      { from: '2024-11-23', to: '2026-11-23', productId: product },
      { from: '2025-05-01', to: '2025-09-30', marketId: marketIds[1]!, productId: product },
    ];
    // The default range is the last two years through the latest today on Earth.
    const defaulted = await get('/v1/insights/weather-effects', WeatherEffectsSchema);
    expect(defaulted).toEqual(await referenceWeatherEffects(cases[0]!));
    expect(defaulted.data.filter((d) => d.rainy.days > 0 && d.dry.days > 0).length).toBeGreaterThan(
      10,
    );
    for (const q of cases) {
      const answer = await get(`/v1/insights/weather-effects?${qs(q)}`, WeatherEffectsSchema);
      expect(answer, JSON.stringify(q)).toEqual(await referenceWeatherEffects(q));
      expect(answer.data.length).toBeGreaterThan(0);
    }
  });

  it('GET /v1/insights/waste: the default 8 weeks, two years, one market', async () => {
    const cases = [
      { from: '2026-09-29', to: '2026-11-23' },
      { from: '2024-11-23', to: '2026-11-23' },
      { from: '2025-11-23', to: '2026-11-23', marketId: marketIds[2]! },
    ];
    expect(await get('/v1/insights/waste', WasteInsightsSchema)).toEqual(
      await referenceWaste(cases[0]!),
    );
    for (const q of cases) {
      const answer = await get(`/v1/insights/waste?${qs(q)}`, WasteInsightsSchema);
      expect(answer, JSON.stringify(q)).toEqual(await referenceWaste(q));
      expect(answer.data.length).toBeGreaterThan(5);
      expect(answer.data.some((d) => d.wasteCostMinor > 0)).toBe(true);
    }
  });

  it('GET /v1/check-ins/stats: the default 56 days, a year, one market, one product', async () => {
    const cases = [
      { days: 56 },
      { days: 365 },
      { days: 120, marketId: marketIds[1]! },
      { days: 200, productId: productIds[2]! },
      { days: 90, marketId: marketIds[0]!, productId: productIds[0]! },
    ];
    const defaulted = await get('/v1/check-ins/stats', CheckInStatsSchema);
    expect(defaulted).toEqual(await referenceStats(cases[0]!));
    // The figures that need a prep list and a sell-out are there to compare.
    const figures = defaulted.products.filter((p) => p.accuracyDays > 0);
    expect(figures.length).toBeGreaterThan(3);
    expect(figures.some((p) => p.bias !== 0 && p.meanAbsoluteError! > 0)).toBe(true);
    expect(defaulted.products.some((p) => p.moneyLeftOnTableMinor > 0)).toBe(true);
    for (const q of cases) {
      const answer = await get(`/v1/check-ins/stats?${qs(q)}`, CheckInStatsSchema);
      expect(answer, JSON.stringify(q)).toEqual(await referenceStats(q));
      expect(answer.products.length).toBeGreaterThan(0);
    }
  });

  it("GET /v1/insights/forecast-vs-actual: each day's CURRENT list, not a newer superseded one", async () => {
    const lists = await inTenant((tx) =>
      tx.recommendation.findMany({
        where: { inputsHash: { startsWith: 'edge-' } },
        include: { lines: true, marketDay: true },
      }),
    );
    const current = lists.filter((r) => r.status === 'CURRENT');
    expect(current.length).toBeGreaterThan(3);
    let compared = 0;
    for (const list of current.slice(0, 4)) {
      const line = list.lines[0]!;
      const date = iso(list.marketDay.date);
      const answer = await get(
        `/v1/insights/forecast-vs-actual?${qs({ marketId: list.marketId, productId: line.productId, from: date, to: date })}`,
        ForecastVsActualSchema,
      );
      expect(answer.data).toHaveLength(1);
      expect(answer.data[0]).toMatchObject({
        date,
        recommended: line.overrideQuantity ?? line.quantity,
        q50: line.q50.toNumber(),
        q10: line.q10.toNumber(),
      });
      compared += 1;
    }
    expect(compared).toBe(4);
    // A day with superseded lists only shows its newest.
    const onlySuperseded = lists.filter(
      (r) => !current.some((c) => c.marketDayId === r.marketDayId),
    );
    const newest = onlySuperseded.sort((a, b) => +b.generatedAt - +a.generatedAt)[0]!;
    const line = newest.lines[0]!;
    const date = iso(newest.marketDay.date);
    const answer = await get(
      `/v1/insights/forecast-vs-actual?${qs({ marketId: newest.marketId, productId: line.productId, from: date, to: date })}`,
      ForecastVsActualSchema,
    );
    expect(answer.data[0]).toMatchObject({ recommended: line.overrideQuantity ?? line.quantity });
  });

  it("GET /v1/insights/go-no-go: each upcoming day's latest forecast, never an observation", async () => {
    const before = await get('/v1/insights/go-no-go', GoNoGoSchema);
    const [first, second] = before.data;
    if (!first?.weather || !second?.weather) throw new Error('no upcoming demo day with weather');
    const fetched = new Date(first.weather.fetchedAt);
    await inTenant(async (tx) => {
      const on = (d: typeof first) => ({
        vendorId: DEMO_VENDOR_ID,
        marketId: d.marketId,
        date: day(d.date),
      });
      await tx.weather.createMany({
        data: [
          // Fetched later: wins.
          {
            ...on(first),
            provider: 'NWS',
            kind: 'FORECAST',
            fetchedAt: new Date(fetched.getTime() + 60_000),
            tempMaxC: 1.5,
            precipMm: 7.25,
            summary: 'later forecast',
          },
          // Fetched earlier: loses.
          {
            ...on(second),
            provider: 'NWS',
            kind: 'FORECAST',
            fetchedAt: new Date(fetched.getTime() - 86_400_000),
            tempMaxC: 40,
            summary: 'older forecast',
          },
          // An observation is not a forecast.
          {
            ...on(second),
            provider: 'OPEN_METEO',
            kind: 'OBSERVED',
            fetchedAt: new Date(fetched.getTime() + 60_000),
            tempMaxC: 41,
            summary: 'observed',
          },
        ],
      });
    });
    const after = await get('/v1/insights/go-no-go', GoNoGoSchema);
    const find = (d: typeof first) => after.data.find((a) => a.marketDayId === d.marketDayId);
    expect(find(first)?.weather).toMatchObject({
      summary: 'later forecast',
      tempMaxC: 1.5,
      precipMm: 7.25,
      provider: 'NWS',
    });
    expect(find(second)?.weather).toEqual(second.weather);
  });

  it("shows another business none of the demo's rows (row-level security on every statement)", async () => {
    const other = await h.signup({ vendorName: 'Empty Bakery' });
    const as = async <T>(url: string, schema: { parse(value: unknown): T }) => {
      const response = await h.call(other, 'GET', url);
      expect(response.statusCode, response.body).toBe(200);
      return schema.parse(response.json());
    };
    const range = 'from=2024-11-23&to=2026-11-23';
    expect((await as(`/v1/insights/weather-effects?${range}`, WeatherEffectsSchema)).data).toEqual(
      [],
    );
    expect((await as(`/v1/insights/waste?${range}`, WasteInsightsSchema)).data).toEqual([]);
    expect((await as(`/v1/insights/sales?${range}`, SalesInsightsSchema)).data).toEqual([]);
    expect((await as('/v1/insights/go-no-go', GoNoGoSchema)).data).toEqual([]);
    expect(await as('/v1/check-ins/stats?days=731', CheckInStatsSchema)).toEqual({
      days: 731,
      markets: [],
      products: [],
    });
    // The demo's own answers over the same range are not empty.
    expect(
      (await get(`/v1/insights/waste?${range}`, WasteInsightsSchema)).data.length,
    ).toBeGreaterThan(100);
  });

  it('reads the markets with their weekly schedules as stored', async () => {
    const [read, stored] = await inTenant(async (tx) => [
      await new FeedbackRepository(tx).findMarkets(),
      await tx.market.findMany({ orderBy: { name: 'asc' }, include: { schedules: true } }),
    ]);
    const hhmm = (value: Date) => value.toISOString().slice(11, 16);
    const mmdd = (value: Date | null) => (value ? value.toISOString().slice(5, 10) : null);
    expect(read).toEqual(
      stored.map((m) => ({
        id: m.id,
        name: m.name,
        timezone: m.timezone,
        countryCode: m.countryCode,
        regionCode: m.regionCode,
        boothFeeMinor: m.boothFeeMinor,
        schedule: m.schedules
          .sort((a, b) => a.weekday - b.weekday || hhmm(a.opensAt).localeCompare(hhmm(b.opensAt)))
          .map((e) => ({
            weekday: e.weekday,
            opensAt: hhmm(e.opensAt),
            closesAt: hhmm(e.closesAt),
            seasonFrom: mmdd(e.seasonFrom),
            seasonTo: mmdd(e.seasonTo),
            weeksOfMonth: e.weeksOfMonth,
            everyOtherWeekFrom: e.everyOtherWeekFrom?.toISOString().slice(0, 10) ?? null,
          })),
      })),
    );
    expect(read.flatMap((m) => m.schedule).some((e) => e.seasonFrom === '06-01')).toBe(true);
    expect(await inTenant((tx) => new FeedbackRepository(tx).findMarkets([marketIds[1]!]))).toEqual(
      [read.find((m) => m.id === marketIds[1])],
    );
  });

  it('GET /v1/insights/sales: the default 8 weeks, a year, one market', async () => {
    const cases = [
      { from: '2026-09-29', to: '2026-11-23' },
      { from: '2025-11-23', to: '2026-11-23' },
      { from: '2026-01-01', to: '2026-11-23', marketId: marketIds[0]! },
    ];
    expect(await get('/v1/insights/sales', SalesInsightsSchema)).toEqual(
      await referenceSales(cases[0]!),
    );
    for (const q of cases) {
      const answer = await get(`/v1/insights/sales?${qs(q)}`, SalesInsightsSchema);
      expect(answer, JSON.stringify(q)).toEqual(await referenceSales(q));
      expect(answer.data.length).toBeGreaterThan(5);
    }
  });
});
