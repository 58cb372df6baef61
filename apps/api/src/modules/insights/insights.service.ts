import type {
  ForecastVsActual,
  GoNoGo,
  InsightsAccuracy,
  MonthChanges,
  SalesInsights,
  WasteInsights,
  WeatherEffects,
} from '@marketprep/contracts';
import {
  DemandInputsRepository,
  FeedbackRepository,
  InsightsRepository,
  ReplayRunsRepository,
  isSoldOut,
  withTenant,
  type CheckInMarket,
  type CheckInProduct,
  type DatabaseClient,
} from '@marketprep/db';
import { isCensored, type BacktestOptions } from '@marketprep/forecast';
import {
  buildTrainingInputs,
  closingHolidayOn,
  runOffThread,
  scheduleOn,
} from '@marketprep/planning';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';
import { MAX_RANGE_DAYS, resolveRange } from '../check-ins/date-range';
import { addDays, localDate, zonedInstant } from '@marketprep/planning';
import { lineOutcome } from '../prep-lists/prep-list-lines';
import type { AccuracyPrediction } from './accuracy-backtest.task';
import { summarizeBacktestAccuracy } from './backtest-accuracy';
import { FingerprintCache } from './fingerprint-cache';
import { RULE_LOOKBACK_DAYS, summarizeMonthChanges } from './month-changes';
import { matchedEffect } from './weather-effects';

/** A day is rainy with at least this much precipitation (else, without amounts, >= 50% chance). */
export const RAINY_PRECIP_MM = 1;
/** Without an amount, a day is rainy with at least this chance of rain. */
const RAINY_PRECIP_PROB = 0.5;
/** A day is hot when its maximum reaches this temperature; otherwise mild. */
export const HOT_TEMP_MAX_C = 27;
/** go/no-go: "go" when expected revenue is at least this multiple of the booth fee. */
export const GO_REVENUE_TO_FEE_RATIO = 2;
/** Same-market days averaged when an upcoming day has no prep list. */
export const HISTORY_DAYS = 6;
/** Accuracy backtest: a day is forecast from sales at least this many days before it... */
export const BACKTEST_LEAD_DAYS = 1;
/** ...by a model retrained every this many days (fewer trainings keep the answer quick). */
export const BACKTEST_RETRAIN_DAYS = 28;
/** Accuracy answers kept per API process (vendor x market choice x period). */
const ACCURACY_CACHE_ENTRIES = 500;
const ACCURACY_TASK = new URL('./accuracy-backtest.task.ts', import.meta.url);

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** "go" / "marginal" / "skip" from expected revenue and booth fee (see GO_REVENUE_TO_FEE_RATIO). */
export function goNoGoOf(expectedMinor: number | null, boothFeeMinor: number) {
  if (expectedMinor === null) return 'marginal' as const;
  if (expectedMinor - boothFeeMinor <= 0) return 'skip' as const;
  return expectedMinor >= GO_REVENUE_TO_FEE_RATIO * boothFeeMinor
    ? ('go' as const)
    : ('marginal' as const);
}

/** Series for charts and the go/no-go view, read from sales, check-ins, prep lists and weather. */
export class InsightsService {
  /** Backtest answers, served again until the vendor's sales, check-ins or markets change. */
  private readonly accuracyCache = new FingerprintCache<InsightsAccuracy>(ACCURACY_CACHE_ENTRIES);
  /** Backtests running now, so a second request for the same answer waits for the first. */
  private readonly accuracyInFlight = new Map<string, Promise<InsightsAccuracy>>();

  constructor(private readonly deps: { db: DatabaseClient; now: () => Date }) {}

  /** Units and revenue per market day, per product and in total. */
  sales(
    tenant: TenantContext,
    query: { marketId?: string; from?: string; to?: string },
  ): Promise<SalesInsights> {
    const { from, to } = resolveRange(query, this.deps.now());
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      const markets = await this.marketsFor(repo, query.marketId);
      const rows = await repo.findDailySales({ marketId: query.marketId, from, to });
      const products = await this.productsById(
        repo,
        rows.map((r) => r.productId),
      );
      const days = new Map<string, SalesInsights['data'][number]>();
      for (const r of rows) {
        const key = `${r.date}|${r.marketId}`;
        let day = days.get(key);
        if (!day) {
          day = {
            marketId: r.marketId,
            marketName: markets.get(r.marketId)?.name ?? '',
            date: r.date,
            units: 0,
            revenueMinor: 0,
            products: [],
          };
          days.set(key, day);
        }
        day.units = round(day.units + r.quantity, 3);
        day.revenueMinor += r.revenueMinor;
        day.products.push({
          productId: r.productId,
          productName: products.get(r.productId)?.name ?? '',
          units: r.quantity,
          revenueMinor: r.revenueMinor,
        });
      }
      const data = [...days.values()].sort(
        (a, b) => a.date.localeCompare(b.date) || a.marketName.localeCompare(b.marketName),
      );
      for (const d of data) d.products.sort((a, b) => a.productName.localeCompare(b.productName));
      return { from, to, data };
    });
  }

  /** Per market day of one product at one market: forecast quantiles, prep list and outcome. */
  forecastVsActual(
    tenant: TenantContext,
    query: { marketId: string; productId: string; from?: string; to?: string },
  ): Promise<ForecastVsActual> {
    const { from, to } = resolveRange(query, this.deps.now());
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      await this.marketsFor(repo, query.marketId);
      await this.productsById(repo, [query.productId], true);
      const days = await new InsightsRepository(tx).findMarketDays({
        marketIds: [query.marketId],
        from,
        to,
      });
      const prep = await repo.findPrepListLines(
        days.map((d) => d.id),
        query.productId,
      );
      const prepOf = new Map(prep.map((l) => [l.marketDayId, l]));
      const feedback = await repo.findFeedback({
        marketIds: [query.marketId],
        productId: query.productId,
        from,
        to,
      });
      const feedbackOf = new Map(feedback.map((f) => [f.date, f]));
      const sales = await repo.findDailySales({
        marketId: query.marketId,
        productId: query.productId,
        from,
        to,
      });
      const salesOf = new Map(sales.map((s) => [s.date, s.quantity]));
      const dayOf = new Map(days.map((d) => [d.date, d]));
      const dates = [...new Set([...days.map((d) => d.date), ...sales.map((s) => s.date)])].sort();
      const data: ForecastVsActual['data'] = [];
      for (const date of dates) {
        const day = dayOf.get(date);
        const line = day ? prepOf.get(day.id) : undefined;
        const f = feedbackOf.get(date);
        const sold =
          f?.sold ?? salesOf.get(date) ?? (f ? Math.max(0, f.brought - f.leftOver) : null);
        if (!line && sold === null) continue;
        data.push({
          date,
          q10: line?.q10 ?? null,
          q50: line?.q50 ?? null,
          q90: line?.q90 ?? null,
          recommended: line?.quantity ?? null,
          sold,
          soldOut: f ? isSoldOut(f) : null,
        });
      }
      return { marketId: query.marketId, productId: query.productId, from, to, data };
    });
  }

  /** Per market day with a check-in: brought, sold, wasted, donated, sell-outs and waste cost. */
  waste(
    tenant: TenantContext,
    query: { marketId?: string; from?: string; to?: string },
  ): Promise<WasteInsights> {
    const { from, to } = resolveRange(query, this.deps.now());
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      if (query.marketId) await this.marketsFor(repo, query.marketId);
      const days = await repo.sumWasteByMarketDay({ marketId: query.marketId, from, to });
      const data = days
        .map((d) => ({
          marketId: d.marketId,
          marketName: d.marketName,
          date: d.date,
          brought: round(d.brought, 3),
          sold: round(d.sold, 3),
          wasted: round(d.wasted, 3),
          donated: round(d.donated, 3),
          sellOuts: d.sellOuts,
          wasteCostMinor: Math.round(d.wasteCost),
        }))
        .sort((a, b) => a.date.localeCompare(b.date) || a.marketName.localeCompare(b.marketName));
      return { from, to, data };
    });
  }

  /**
   * Per product, sales on rainy against dry and hot against mild market days, each day compared
   * with the other class's days of its market and month (weather-effects.ts).
   */
  weatherEffects(
    tenant: TenantContext,
    query: { productId?: string; marketId?: string; from?: string; to?: string },
  ): Promise<WeatherEffects> {
    const { from, to } = resolveRange(query, this.deps.now(), MAX_RANGE_DAYS);
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      if (query.marketId) await this.marketsFor(repo, query.marketId);
      const product = query.productId
        ? (await this.productsById(repo, [query.productId], true)).get(query.productId)
        : undefined;
      const sums = await new InsightsRepository(tx).sumWeatherEffects({
        from,
        to,
        marketId: query.marketId,
        productId: query.productId,
        thresholds: {
          rainyPrecipMm: RAINY_PRECIP_MM,
          rainyPrecipProb: RAINY_PRECIP_PROB,
          hotTempMaxC: HOT_TEMP_MAX_C,
        },
      });
      // The one product asked for is listed even without sales in the range.
      if (product && sums.length === 0) {
        sums.push({ productId: product.id, productName: product.name, strata: [] });
      }
      const data = sums
        .map((g) => {
          const rain = matchedEffect(g.strata, 'rainy', 'dry');
          const heat = matchedEffect(g.strata, 'hot', 'mild');
          return {
            productId: g.productId,
            productName: g.productName,
            rainy: { days: rain.days, meanUnits: rain.meanUnits },
            dry: { days: rain.otherDays, meanUnits: rain.otherMeanUnits },
            hot: { days: heat.days, meanUnits: heat.meanUnits },
            mild: { days: heat.otherDays, meanUnits: heat.otherMeanUnits },
            rainEffect: rain.effect,
            heatEffect: heat.effect,
          };
        })
        .sort((a, b) => a.productName.localeCompare(b.productName));
      return {
        from,
        to,
        thresholds: { rainyPrecipMm: RAINY_PRECIP_MM, hotTempMaxC: HOT_TEMP_MAX_C },
        data,
      };
    });
  }

  /**
   * Each upcoming scheduled market day (today through today + days - 1 in each market's zone):
   * expected revenue from the current prep list (its totals: at the vendor's overrides, without
   * out-of-season products), else the mean of the market's last 6 days with sales; minus the
   * booth fee; a recommendation and the forecast weather.
   */
  goNoGo(tenant: TenantContext, query: { days: number; marketId?: string }): Promise<GoNoGo> {
    const now = this.deps.now();
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      const insights = new InsightsRepository(tx);
      // Upcoming days of the markets the vendor still goes to: not an archived or paused one.
      if (query.marketId) await this.marketsFor(repo, query.marketId);
      const markets = await repo.findMarkets(query.marketId ? [query.marketId] : undefined, {
        current: true,
      });
      const windows = new Map(
        markets.map((m) => {
          const today = localDate(now, m.timezone);
          return [m.id, { from: today, to: addDays(today, query.days - 1) }];
        }),
      );
      const all = [...windows.values()];
      if (all.length === 0) {
        return { thresholds: { goRevenueToFeeRatio: GO_REVENUE_TO_FEE_RATIO }, data: [] };
      }
      const from = all.map((w) => w.from).sort()[0] ?? '';
      const to =
        all
          .map((w) => w.to)
          .sort()
          .at(-1) ?? '';
      const days = (
        await insights.findMarketDays({
          marketIds: markets.map((m) => m.id),
          from,
          to,
          scheduledOnly: true,
        })
      ).filter((d) => {
        const w = windows.get(d.marketId);
        return w !== undefined && d.date >= w.from && d.date <= w.to;
      });
      // The list's expected revenue at the quantities the vendor will bring (overrides), without
      // out-of-season products left at home: the prep list's own totals.
      // A list whose products sell but have no price (an import without prices) says nothing
      // of revenue: its $0 would read "skip" (issue: a farm stand told to skip every market).
      const prepRevenue = new Map<string, number>();
      const unpriced = new Set<string>();
      for (const line of await insights.findPlannedLines(days.map((d) => d.id))) {
        const outcome = lineOutcome(line);
        prepRevenue.set(
          line.marketDayId,
          (prepRevenue.get(line.marketDayId) ?? 0) +
            (outcome.counted ? outcome.expectedRevenueMinor : 0),
        );
        if (outcome.counted && outcome.expectedSold > 0 && line.priceMinor <= 0) {
          unpriced.add(line.marketDayId);
        }
      }
      for (const dayId of unpriced) {
        if (prepRevenue.get(dayId) === 0) prepRevenue.delete(dayId);
      }
      const historyMean = new Map<string, number | null>();
      const historyUnpriced = new Set<string>();
      const withDays = markets.filter((m) => days.some((d) => d.marketId === m.id));
      const recent = await insights.findRecentRevenue({
        markets: withDays.map((m) => ({
          marketId: m.id,
          before: windows.get(m.id)?.from ?? from,
        })),
        count: HISTORY_DAYS,
      });
      for (const m of withDays) {
        const revenues = recent.filter((r) => r.marketId === m.id).map((r) => r.revenueMinor);
        const mean =
          revenues.length === 0
            ? null
            : Math.round(revenues.reduce((a, r) => a + r, 0) / revenues.length);
        // Sales without prices earned "$0": unknown, not nothing.
        historyMean.set(m.id, mean === 0 ? null : mean);
        if (mean === 0) historyUnpriced.add(m.id);
      }
      const weather = await insights.findWeather({
        marketIds: markets.map((m) => m.id),
        from,
        to,
        forecastOnly: true,
      });
      const weatherOf = new Map(weather.map((w) => [`${w.marketId}|${w.date}`, w]));
      const marketOf = new Map(markets.map((m) => [m.id, m]));
      const data: GoNoGo['data'] = days.map((d) => {
        const market = marketOf.get(d.marketId);
        const fee = market?.boothFeeMinor ?? 0;
        const fromPrep = prepRevenue.get(d.id);
        const fromHistory = historyMean.get(d.marketId) ?? null;
        const basis =
          fromPrep !== undefined
            ? 'recommendation'
            : fromHistory !== null
              ? 'history'
              : unpriced.has(d.id) || historyUnpriced.has(d.marketId)
                ? 'unpriced'
                : 'none';
        const expected = fromPrep ?? fromHistory;
        const w = weatherOf.get(`${d.marketId}|${d.date}`);
        return {
          marketId: d.marketId,
          marketName: market?.name ?? '',
          marketDayId: d.id,
          date: d.date,
          boothFeeMinor: fee,
          basis,
          expectedRevenueMinor: expected,
          netMinor: expected === null ? null : expected - fee,
          recommendation: goNoGoOf(expected, fee),
          weather: w
            ? {
                summary: w.summary,
                tempMaxC: w.tempMaxC,
                tempMinC: w.tempMinC,
                precipMm: w.precipMm,
                precipProb: w.precipProb,
                provider: w.provider,
                fetchedAt: w.fetchedAt.toISOString(),
              }
            : null,
          closingHoliday: market ? closingHolidayOn(market, d.date) : null,
        };
      });
      data.sort((a, b) => a.date.localeCompare(b.date) || a.marketName.localeCompare(b.marketName));
      return { thresholds: { goRevenueToFeeRatio: GO_REVENUE_TO_FEE_RATIO }, data };
    });
  }

  /**
   * Forecast accuracy per market over the last `days` days through yesterday, from a rolling
   * backtest of the vendor's own history: each market day is forecast by a model trained only on
   * sales dated at least BACKTEST_LEAD_DAYS before it (retrained every BACKTEST_RETRAIN_DAYS), and
   * its most likely number is compared with what sold (sell-out days left out of the error).
   * Works for a vendor without past prep lists, e.g. one that imported its history. The answer is
   * kept until the inputs' freshness (sales, check-ins, products, weather, events of every market)
   * or the markets change.
   */
  async accuracy(
    tenant: TenantContext,
    query: { marketId?: string; days: number },
  ): Promise<InsightsAccuracy> {
    const now = this.deps.now();
    const { markets, fingerprint } = await withTenant(
      this.deps.db.prisma,
      tenant.vendorId,
      async (tx) => {
        const repo = new FeedbackRepository(tx);
        const markets = await this.marketsFor(repo, query.marketId);
        const all = query.marketId ? await repo.findMarkets() : [...markets.values()];
        const byMarket = await new DemandInputsRepository(tx).findFreshnessOfMarkets(
          all.map((m) => m.id),
        );
        const freshness = all.map((m) => [m.id, m.name, m.timezone, byMarket.get(m.id)]);
        return { markets, fingerprint: JSON.stringify(freshness) };
      },
    );
    // Yesterday where it is earliest among the vendor's markets: no market's today is included.
    const todays = [...markets.values()].map((m) => localDate(now, m.timezone)).sort();
    const to = addDays(todays[0] ?? localDate(now, 'UTC'), -1);
    const from = addDays(to, -(query.days - 1));
    const cacheKey = `${tenant.vendorId}|${query.marketId ?? ''}|${from}|${to}`;
    const cached = this.accuracyCache.get(cacheKey, fingerprint);
    if (cached) return cached;
    const flightKey = `${cacheKey}|${fingerprint}`;
    let running = this.accuracyInFlight.get(flightKey);
    if (!running) {
      running = this.computeAccuracy(tenant, query, markets, from, to).finally(() =>
        this.accuracyInFlight.delete(flightKey),
      );
      this.accuracyInFlight.set(flightKey, running);
    }
    const result = await running;
    this.accuracyCache.set(cacheKey, fingerprint, result);
    return result;
  }

  /** The accuracy backtest of {@link accuracy} itself, for one period and market choice. */
  private async computeAccuracy(
    tenant: TenantContext,
    query: { marketId?: string; days: number },
    markets: Awaited<ReturnType<InsightsService['marketsFor']>>,
    from: string,
    to: string,
  ): Promise<InsightsAccuracy> {
    const history = await withTenant(
      this.deps.db.prisma,
      tenant.vendorId,
      (tx) => new DemandInputsRepository(tx).loadHistory(),
      { timeoutMs: 60_000 },
    );
    const inputs = buildTrainingInputs(history);
    const sales = inputs.sales.filter((s) => s.date <= to);
    const targets = new Map(
      sales
        .filter((s) => s.date >= from && (!query.marketId || s.market === query.marketId))
        .map((s) => [`${s.market}|${s.product}|${s.date}`, s]),
    );
    // Seconds of CPU (the model is trained several times): on a worker thread, so the API keeps
    // answering everyone else meanwhile.
    const predictions =
      targets.size === 0
        ? []
        : await runOffThread<AccuracyPrediction[]>(ACCURACY_TASK, {
            sales,
            covariates: inputs.covariates,
            from,
            to,
            leadDays: BACKTEST_LEAD_DAYS,
            retrainDays: BACKTEST_RETRAIN_DAYS,
          } satisfies BacktestOptions);
    const outcomes = predictions.flatMap((p) => {
      const sale = targets.get(`${p.market}|${p.product}|${p.date}`);
      return sale ? [{ ...p, censored: isCensored(sale) }] : [];
    });
    const figures = summarizeBacktestAccuracy(outcomes);
    return {
      from,
      to,
      leadDays: BACKTEST_LEAD_DAYS,
      retrainDays: BACKTEST_RETRAIN_DAYS,
      markets: [...markets.values()]
        .map((m) => ({
          marketId: m.id,
          marketName: m.name,
          ...(figures.get(m.id) ?? {
            marketDays: 0,
            accuracyDays: 0,
            censoredDays: 0,
            meanAbsoluteError: null,
            bias: null,
            rangeCoverage: null,
          }),
        }))
        .sort((a, b) => a.marketName.localeCompare(b.marketName)),
    };
  }

  /** The vendor's markets by id (only `marketId`, 404 when it is not this vendor's). */
  /**
   * "What MarketPrep changed this month" (docs/replay.md): the month's prep lists, as they stood
   * before each day's outcome was known, against what was brought (check-in days) or the rule of
   * thumb (other days), in money. Counts market days before today at each market, and today's
   * product-days once checked in.
   */
  monthChanges(tenant: TenantContext, query: { month?: string }): Promise<MonthChanges> {
    const now = this.deps.now();
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new FeedbackRepository(tx);
      const markets = await this.marketsFor(repo);
      const todayAt = (marketId: string) =>
        localDate(now, markets.get(marketId)?.timezone ?? 'UTC');
      const firstZone = [...markets.values()][0]?.timezone ?? 'UTC';
      const month = query.month ?? localDate(now, firstZone).slice(0, 7);
      const from = `${month}-01`;
      const monthEnd = addDays(`${addDays(from, 31).slice(0, 7)}-01`, -1);
      const days = await new InsightsRepository(tx).findMarketDays({
        from,
        to: monthEnd,
        scheduledOnly: true,
      });
      const dayOf = new Map(days.map((d) => [d.id, d]));
      const checkIns = await repo.findFeedback({ from, to: monthEnd });
      const checkedIn = new Set(checkIns.map((c) => `${c.marketDayId}|${c.productId}`));
      // The list as the vendor packed from it: before the day closed and before its check-in (a
      // list regenerated after those, by hand, knows the day's own sales).
      const closeOf = (day: (typeof days)[number]) => {
        const market = markets.get(day.marketId);
        const zone = market?.timezone ?? 'UTC';
        if (day.closesAt) return day.closesAt;
        const slot = market ? scheduleOn(market, day.date) : undefined;
        return slot
          ? zonedInstant(day.date, slot.closesAt, zone)
          : zonedInstant(addDays(day.date, 1), '00:00', zone);
      };
      const asOf = days.map((d) => ({ marketDayId: d.id, before: closeOf(d) }));
      const lines = (await repo.findPrepListLinesAsOf(asOf)).flatMap((l) => {
        const day = dayOf.get(l.marketDayId);
        if (!day) return [];
        const past = day.date < todayAt(day.marketId);
        if (!past && !checkedIn.has(`${l.marketDayId}|${l.productId}`)) return [];
        return [{ ...l, marketId: day.marketId, date: day.date }];
      });
      const products = await this.productsById(repo, [...new Set(lines.map((l) => l.productId))]);
      const sales = await repo.findDailySales({
        from: addDays(from, -RULE_LOOKBACK_DAYS),
        to: monthEnd,
      });
      const latestToday = [...markets.keys()].map(todayAt).sort().at(-1) ?? from;
      const summary = summarizeMonthChanges({
        lines,
        checkIns: checkIns.map((c) => ({ ...c, soldOut: isSoldOut(c) })),
        sales,
        products: [...products.values()],
      });
      return {
        month,
        from,
        to: latestToday < monthEnd ? (latestToday < from ? from : latestToday) : monthEnd,
        currency: await new ReplayRunsRepository(tx).findVendorCurrency(),
        ...summary,
      };
    });
  }

  private async marketsFor(
    repo: FeedbackRepository,
    marketId?: string,
  ): Promise<Map<string, CheckInMarket>> {
    const markets = await repo.findMarkets(marketId ? [marketId] : undefined);
    if (marketId && markets.length === 0) {
      throw new AppError('NOT_FOUND', `No market ${marketId} in this business.`);
    }
    return new Map(markets.map((m) => [m.id, m]));
  }

  /** Products by id; with `required`, 404 when one is not this vendor's. */
  private async productsById(
    repo: FeedbackRepository,
    ids: string[],
    required = false,
  ): Promise<Map<string, CheckInProduct>> {
    const unique = [...new Set(ids)];
    const products = unique.length === 0 ? [] : await repo.findProducts(unique);
    if (required && products.length < unique.length) {
      const missing = unique.filter((id) => !products.some((p) => p.id === id));
      throw new AppError('NOT_FOUND', `No product ${missing.join(', ')} in this business.`);
    }
    return new Map(products.map((p) => [p.id, p]));
  }
}
