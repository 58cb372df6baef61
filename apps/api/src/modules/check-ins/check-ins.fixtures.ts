import { withTenant, type DatabaseClient } from '@marketprep/db';

/** A hand-made market with products, market days, prep lists, sales, check-ins and weather. */
export interface ShopSpec {
  market: {
    name: string;
    timezone?: string;
    boothFeeMinor?: number;
    schedule?: {
      weekday: number;
      opensAt: string;
      closesAt: string;
      /** Season bounds `MM-DD` (both or neither). */
      seasonFrom?: string;
      seasonTo?: string;
    }[];
  };
  products: {
    key: string;
    name: string;
    priceMinor: number;
    unitCostMinor: number;
    salvageValueMinor: number;
    active?: boolean;
  }[];
  days: {
    date: string;
    status?: 'SCHEDULED' | 'CANCELLED';
    opensAt?: string;
    closesAt?: string;
    prep?: {
      key: string;
      quantity: number;
      override?: number;
      q10?: number;
      q50: number;
      q90?: number;
      expectedRevenueMinor?: number;
    }[];
    /** An older, superseded prep list (to prove the current one is read). */
    supersededPrep?: { key: string; quantity: number; q50: number }[];
    sales?: { key: string; quantity: number; revenueMinor: number }[];
    feedback?: {
      key: string;
      brought: number;
      sold: number | null;
      leftOver: number;
      wasted: number;
      donated: number;
      soldOutAt?: string;
    }[];
    weather?: {
      kind: 'FORECAST' | 'OBSERVED';
      tempMaxC: number;
      precipMm: number | null;
      precipProb?: number;
      summary?: string;
    };
  }[];
}

/** Ids of what {@link seedShop} created. */
export interface Shop {
  marketId: string;
  productIds: Record<string, string>;
  dayIds: Record<string, string>;
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** Writes a {@link ShopSpec} for a vendor that already exists (through RLS, like the app). */
export async function seedShop(
  db: DatabaseClient,
  vendorId: string,
  spec: ShopSpec,
): Promise<Shop> {
  return withTenant(db.prisma, vendorId, async (tx) => {
    const market = await tx.market.create({
      data: {
        vendorId,
        name: spec.market.name,
        latitude: 41.88,
        longitude: -87.63,
        timezone: spec.market.timezone ?? 'America/Chicago',
        countryCode: 'US',
        regionCode: 'IL',
        boothFeeMinor: spec.market.boothFeeMinor ?? 0,
      },
    });
    for (const s of spec.market.schedule ?? []) {
      await tx.marketSchedule.create({
        data: {
          vendorId,
          marketId: market.id,
          weekday: s.weekday,
          opensAt: new Date(`1970-01-01T${s.opensAt}:00Z`),
          closesAt: new Date(`1970-01-01T${s.closesAt}:00Z`),
          seasonFrom: s.seasonFrom ? new Date(`2000-${s.seasonFrom}T00:00:00Z`) : null,
          seasonTo: s.seasonTo ? new Date(`2000-${s.seasonTo}T00:00:00Z`) : null,
        },
      });
    }
    const productIds: Record<string, string> = {};
    for (const p of spec.products) {
      const created = await tx.product.create({
        data: {
          vendorId,
          name: p.name,
          priceMinor: p.priceMinor,
          unitCostMinor: p.unitCostMinor,
          salvageValueMinor: p.salvageValueMinor,
          active: p.active ?? true,
        },
      });
      productIds[p.key] = created.id;
    }
    const pid = (key: string) => {
      const id = productIds[key];
      if (!id) throw new Error(`unknown product key ${key}`);
      return id;
    };
    const dayIds: Record<string, string> = {};
    for (const d of spec.days) {
      const marketDay = await tx.marketDay.create({
        data: {
          vendorId,
          marketId: market.id,
          date: day(d.date),
          status: d.status ?? 'SCHEDULED',
          opensAt: d.opensAt ? new Date(d.opensAt) : null,
          closesAt: d.closesAt ? new Date(d.closesAt) : null,
        },
      });
      dayIds[d.date] = marketDay.id;
      const prepLists = [
        { lines: d.supersededPrep, status: 'SUPERSEDED' as const, at: `${d.date}T01:00:00Z` },
        { lines: d.prep, status: 'CURRENT' as const, at: `${d.date}T02:00:00Z` },
      ];
      for (const list of prepLists) {
        if (!list.lines) continue;
        const rec = await tx.recommendation.create({
          data: {
            vendorId,
            marketId: market.id,
            marketDayId: marketDay.id,
            status: list.status,
            trigger: 'test',
            inputsHash: `${list.status}-${d.date}`,
            generatedAt: new Date(list.at),
          },
        });
        for (const l of list.lines) {
          const q50 = l.q50;
          const line = l as {
            q10?: number;
            q90?: number;
            override?: number;
            expectedRevenueMinor?: number;
          };
          await tx.recommendationLine.create({
            data: {
              vendorId,
              recommendationId: rec.id,
              productId: pid(l.key),
              q10: line.q10 ?? Math.max(0, q50 - 5),
              q50,
              q90: line.q90 ?? q50 + 5,
              criticalRatio: 0.6,
              qCritical: q50,
              quantity: l.quantity,
              overrideQuantity: line.override ?? null,
              expectedSold: q50,
              expectedRevenueMinor: BigInt(line.expectedRevenueMinor ?? 0),
              modelRung: 'test',
              dataSufficiency: 'test',
              explanation: {},
            },
          });
        }
      }
      for (const s of d.sales ?? []) {
        await tx.dailySales.create({
          data: {
            vendorId,
            marketId: market.id,
            productId: pid(s.key),
            date: day(d.date),
            quantity: s.quantity,
            revenueMinor: BigInt(s.revenueMinor),
            lineCount: 1,
          },
        });
      }
      for (const f of d.feedback ?? []) {
        await tx.feedback.create({
          data: {
            vendorId,
            marketDayId: marketDay.id,
            productId: pid(f.key),
            brought: f.brought,
            sold: f.sold,
            leftOver: f.leftOver,
            wasted: f.wasted,
            donated: f.donated,
            soldOutAt: f.soldOutAt ? new Date(f.soldOutAt) : null,
          },
        });
      }
      if (d.weather) {
        await tx.weather.create({
          data: {
            vendorId,
            marketId: market.id,
            date: day(d.date),
            provider: 'DEMO',
            kind: d.weather.kind,
            fetchedAt: new Date(`${d.date}T00:00:00Z`),
            tempMaxC: d.weather.tempMaxC,
            tempMinC: d.weather.tempMaxC - 10,
            precipMm: d.weather.precipMm,
            precipProb: d.weather.precipProb ?? null,
            summary: d.weather.summary ?? null,
          },
        });
      }
    }
    return { marketId: market.id, productIds, dayIds };
  });
}
