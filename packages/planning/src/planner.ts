import { createHash } from 'node:crypto';
import {
  DemandInputsRepository,
  InsightsRepository,
  ModelVersionsRepository,
  PrepListsRepository,
  withTenant,
  type DatabaseClient,
  type DemandFreshness,
  type DemandPlanInputs,
  type DemandPlanMarket,
  type DemandWeatherRow,
  type ModelVersionRecord,
  type NewPrepListLine,
  type PrepListMarket,
  type PlannedMarketDay,
  type PrepListMarketDay,
  type StoredPrepList,
  type TenantTransaction,
} from '@marketprep/db';
import {
  advanceDemandModel,
  deserializeModel,
  predictDemand,
  serializeModel,
  toDayNumber,
  trainDemandModel,
  type DemandModel,
  type PredictDemandOptions,
  type PrepForecast,
} from '@marketprep/forecast';
import { addDays, localDate, zonedInstant } from './local-time';
import {
  buildTrainingInputs,
  chooseWeather,
  marketDayCovariates,
  productEconomics,
  scheduleOn,
} from './prep-list-inputs';
import { describeForecast } from './line-explanation';
import { formatMarketDate, notAMarketDayReason } from './market-day-rules';

/** A model older than the newest sales by more than this is retrained before use. */
export const MODEL_MAX_LAG_DAYS = 7;
/** A market day may be created from the weekly schedule this many days either side of today. */
export const SCHEDULE_WINDOW_DAYS = 400;
/** Bumped when the stored list's shape or computation changes, so old caches are recomputed. */
const CACHE_VERSION = 'prep-list-3';
const MODEL_CACHE_SIZE = 16;

/** Why a prep list cannot be planned; the API maps these to 404/409, jobs to UnrecoverableError. */
export type PlanningErrorCode =
  'MARKET_NOT_FOUND' | 'NOT_A_MARKET_DAY' | 'MARKET_DAY_CANCELLED' | 'INTERNAL';

/** A planning request that cannot succeed as asked (retrying does not help, except INTERNAL). */
export class PlanningError extends Error {
  constructor(
    readonly code: PlanningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlanningError';
  }
}

/** One prep list to plan. */
export interface GeneratePrepListRequest {
  vendorId: string;
  marketId: string;
  /** Market-local `YYYY-MM-DD`. */
  date: string;
  /** Recompute even when the stored list's inputs did not change. */
  force?: boolean;
  /** Why it is (re)computed, stored on the list: default `manual` when forced, else `inputs-changed`. */
  trigger?: string;
}

/** The CURRENT prep list of a market day, and whether this call computed it. */
export interface GeneratedPrepList {
  stored: StoredPrepList;
  market: PrepListMarket;
  marketDay: PrepListMarketDay;
  /** False when the stored list was still valid and served as is. */
  recomputed: boolean;
}

interface Resolved {
  market: PrepListMarket;
  marketDay: PlannedMarketDay;
  freshness: DemandFreshness;
  model: ModelVersionRecord | null;
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/**
 * Training and prep-list computation, shared by the API (on request) and the worker (scheduled
 * and when inputs change). Holds a small cache of deserialized models (versions are immutable) and
 * shares a training under way per vendor between concurrent callers.
 */
export class PrepListPlanner {
  private readonly models = new Map<string, DemandModel>();
  private readonly trainings = new Map<string, Promise<ModelVersionRecord>>();

  constructor(
    private readonly options: { db: DatabaseClient; now: () => Date; modelCacheSize?: number },
  ) {}

  /**
   * The CURRENT prep list of a market day: the stored one when its inputs hash still matches,
   * else recomputed and stored (training the model first when there is none or it is stale).
   * Once the market has opened that day the stored list stays as it is, whatever changed: it is
   * the list the vendor packed from, and a model that has since seen the day's sales would rewrite
   * it with hindsight (only `force` recomputes it). Creates the market day from the weekly
   * schedule when needed. Idempotent: with unchanged inputs a second call stores nothing.
   */
  async generatePrepList(request: GeneratePrepListRequest): Promise<GeneratedPrepList> {
    const { vendorId, marketId, date } = request;
    const force = request.force ?? false;
    const first = await withTenant(this.options.db.prisma, vendorId, async (tx) => {
      const resolved = await this.resolve(tx, request);
      const lists = new PrepListsRepository(tx);
      const current = await lists.findCurrent(resolved.marketDay.id);
      if (!force && current && this.hasOpened(resolved)) {
        return { resolved, stored: await lists.loadPrepList(current.id) };
      }
      if (force || !resolved.model || isStale(resolved.model, resolved.freshness)) {
        return { resolved };
      }
      if (current?.inputsHash !== inputsHashOf(resolved, resolved.model)) return { resolved };
      return { resolved, stored: await lists.loadPrepList(current.id) };
    });
    const { resolved } = first;
    if (first.stored) {
      return {
        stored: first.stored,
        market: resolved.market,
        marketDay: resolved.marketDay,
        recomputed: false,
      };
    }

    const { record, model } = await this.ensureModel(vendorId, resolved);
    const inputsHash = inputsHashOf(resolved, record);
    const generatedAt = this.options.now();
    const stored = await withTenant(this.options.db.prisma, vendorId, async (tx) => {
      const plan = await new DemandInputsRepository(tx).loadPlanInputs({ marketId, date });
      const weather = chooseWeather(plan.weather).get(`${marketId}|${date}`);
      const marketNames = new Map(plan.markets.map((m) => [m.id, m.name]));
      const economics = plan.products.map(productEconomics);
      const seasonOf = new Map(economics.map((p) => [p.product, p.season]));
      const forecasts = forecastMarketDay({ model, market: resolved.market, date, plan, weather });
      const lists = new PrepListsRepository(tx);
      const id = await lists.saveCurrent({
        vendorId,
        marketId,
        marketDayId: resolved.marketDay.id,
        modelVersionId: record.id,
        trigger: request.trigger ?? (force ? 'manual' : 'inputs-changed'),
        inputsHash,
        generatedAt,
        salesAsOf: resolved.freshness.salesAsOf,
        weatherAsOf: resolved.freshness.weatherAsOf,
        eventsAsOf: resolved.freshness.eventsAsOf,
        force,
        lines: forecasts.map((forecast) =>
          toLine(forecast, {
            marketName: (id) => marketNames.get(id) ?? 'another of your markets',
            excludedHere:
              seasonOf.get(forecast.product)?.excludedMarkets?.includes(marketId) ?? false,
          }),
        ),
      });
      return lists.loadPrepList(id);
    });
    if (!stored)
      throw new PlanningError('INTERNAL', 'The prep list just stored could not be read.');
    return { stored, market: resolved.market, marketDay: resolved.marketDay, recomputed: true };
  }

  /**
   * The prep list's forecast of a market day under other weather (the week plan's rain plan): the
   * same model, products, events and covariates as `generatePrepList`, with the weather `scenario`
   * makes of the day's chosen weather row; null (and no prediction) when it returns null. Stores
   * nothing. Call after `generatePrepList` for the day (it creates the market day).
   */
  async forecastWeatherScenario(request: {
    vendorId: string;
    marketId: string;
    date: string;
    scenario: (weather: DemandWeatherRow | undefined) => DemandWeatherRow | null;
  }): Promise<{
    /** The day's weather as forecast (or observed). */
    chosen: DemandWeatherRow | undefined;
    /** The scenario's weather the forecasts were made with. */
    weather: DemandWeatherRow;
    forecasts: PrepForecast[];
  } | null> {
    const { vendorId, marketId, date } = request;
    const found = await withTenant(this.options.db.prisma, vendorId, async (tx) => {
      const plan = await new DemandInputsRepository(tx).loadPlanInputs({ marketId, date });
      const chosen = chooseWeather(plan.weather).get(`${marketId}|${date}`);
      const weather = request.scenario(chosen);
      return weather ? { plan, chosen, weather, resolved: await this.resolve(tx, request) } : null;
    });
    if (!found) return null;
    const { model } = await this.ensureModel(vendorId, found.resolved);
    const forecasts = forecastMarketDay({
      model,
      market: found.resolved.market,
      date,
      plan: found.plan,
      weather: found.weather,
    });
    return { chosen: found.chosen, weather: found.weather, forecasts };
  }

  /**
   * Trains the vendor's model from all its history and stores it as the ACTIVE version.
   * Concurrent calls for one vendor share one training.
   */
  trainVendorModel(vendorId: string, trigger = 'on-demand'): Promise<ModelVersionRecord> {
    let running = this.trainings.get(vendorId);
    if (!running) {
      running = trainVendorModel({ ...this.options, vendorId, trigger })
        .then(({ record, model }) => {
          this.remember(record.id, model);
          return record;
        })
        .finally(() => this.trainings.delete(vendorId));
      this.trainings.set(vendorId, running);
    }
    return running;
  }

  /** Whether the market has opened on the resolved day (its stored opening, else the schedule's). */
  private hasOpened({ market, marketDay }: Resolved): boolean {
    const opensAt =
      marketDay.opensAt ??
      zonedInstant(
        marketDay.date,
        scheduleOn(market, marketDay.date)?.opensAt ?? '00:00',
        market.timezone,
      );
    return this.options.now().getTime() >= opensAt.getTime();
  }

  private async resolve(tx: TenantTransaction, target: GeneratePrepListRequest): Promise<Resolved> {
    const { vendorId, marketId, date } = target;
    const lists = new PrepListsRepository(tx);
    const market = await lists.findMarket(marketId);
    if (!market) throw new PlanningError('MARKET_NOT_FOUND', 'No such market.');
    let marketDay = await lists.findMarketDay({ marketId, date });
    if (!marketDay) {
      const opening = scheduleOn(market, date);
      const today = localDate(this.options.now(), market.timezone);
      const distance = Math.abs(toDayNumber(date) - toDayNumber(today));
      if (!opening) {
        throw new PlanningError(
          'NOT_A_MARKET_DAY',
          notAMarketDayReason(market, date) ?? `${date} is not a market day of ${market.name}.`,
        );
      }
      if (distance > SCHEDULE_WINDOW_DAYS) {
        throw new PlanningError(
          'NOT_A_MARKET_DAY',
          `${formatMarketDate(date, Number(today.slice(0, 4)))} is more than ${SCHEDULE_WINDOW_DAYS} days from today: no prep list that far ahead or back.`,
        );
      }
      marketDay = await lists.createMarketDay({
        vendorId,
        marketId,
        date,
        opensAt: zonedInstant(date, opening.opensAt, market.timezone),
        closesAt: zonedInstant(date, opening.closesAt, market.timezone),
      });
    }
    if (marketDay.status === 'CANCELLED') {
      throw new PlanningError(
        'MARKET_DAY_CANCELLED',
        `The market day ${date} of ${market.name} is cancelled.`,
      );
    }
    const freshness = await new DemandInputsRepository(tx).findFreshness({ marketId });
    const model = await new ModelVersionsRepository(tx).findLatestActive();
    return { market, marketDay, freshness, model };
  }

  /** The model to plan with: the stored ACTIVE one when loadable and fresh, else a new one. */
  private async ensureModel(
    vendorId: string,
    resolved: Resolved,
  ): Promise<{ record: ModelVersionRecord; model: DemandModel }> {
    let record = resolved.model;
    if (!record || isStale(record, resolved.freshness)) {
      record = await this.trainVendorModel(vendorId);
    }
    const cached = this.models.get(record.id);
    if (cached) return { record, model: cached };
    const id = record.id;
    const json = await withTenant(this.options.db.prisma, vendorId, (tx) =>
      new ModelVersionsRepository(tx).loadModelJson(id),
    );
    let model: DemandModel | undefined;
    try {
      model = json === null ? undefined : deserializeModel(json);
    } catch {
      // A model of an older engine format: retrain below.
    }
    if (!model) {
      record = await this.trainVendorModel(vendorId);
      const fresh = this.models.get(record.id);
      if (!fresh) throw new PlanningError('INTERNAL', 'A freshly trained model is missing.');
      return { record, model: fresh };
    }
    this.remember(id, model);
    return { record, model };
  }

  private remember(id: string, model: DemandModel): void {
    this.models.delete(id);
    this.models.set(id, model);
    while (this.models.size > (this.options.modelCacheSize ?? MODEL_CACHE_SIZE)) {
      const oldest = this.models.keys().next().value;
      if (oldest === undefined) break;
      this.models.delete(oldest);
    }
  }
}

/**
 * Trains `vendorId`'s demand model from all its history and stores it as the ACTIVE version
 * (retiring the previous one). Safe to repeat: a second run stores an equal model.
 */
export async function trainVendorModel(options: {
  db: DatabaseClient;
  vendorId: string;
  now: () => Date;
  /** Why it was trained (stored in the version's metrics). */
  trigger?: string;
}): Promise<{ record: ModelVersionRecord; model: DemandModel }> {
  const { db, vendorId } = options;
  const history = await withTenant(
    db.prisma,
    vendorId,
    (tx) => new DemandInputsRepository(tx).loadHistory(),
    { timeoutMs: 60_000 },
  );
  const inputs = buildTrainingInputs(history);
  const started = performance.now();
  const model = trainDemandModel(inputs);
  const durationMs = Math.round(performance.now() - started);
  const modelJson = serializeModel(model);
  const pooled = model.series.filter((s) => s.rung === 'pooled').length;
  const record = await withTenant(
    db.prisma,
    vendorId,
    (tx) =>
      new ModelVersionsRepository(tx).activate({
        vendorId,
        engineVersion: `forecast-format-${model.formatVersion}`,
        trainedAt: options.now(),
        trainedThrough: inputs.sales.length > 0 ? model.trainedThrough : null,
        observationCount: inputs.sales.length,
        durationMs,
        modelJson,
        metrics: {
          series: model.series.length,
          pooledSeries: pooled,
          thinSeries: model.series.length - pooled,
          markets: history.markets.length,
          products: history.products.length,
          levelHalfLife: model.levelHalfLife,
          seriesPrior: model.seriesPrior,
          trigger: options.trigger ?? 'on-demand',
        },
      }),
    { timeoutMs: 30_000 },
  );
  return { record, model };
}

/**
 * Computes (or keeps, when its inputs did not change) and stores the CURRENT prep list of one
 * market day. A one-off planner: callers that plan often keep a {@link PrepListPlanner}.
 */
export function generatePrepList(
  options: GeneratePrepListRequest & { db: DatabaseClient; now: () => Date },
): Promise<GeneratedPrepList> {
  const { db, now, ...request } = options;
  return new PrepListPlanner({ db, now }).generatePrepList(request);
}

/**
 * Stores, for each scheduled market day from `from` to `to`, the prep list MarketPrep would have
 * made the evening before (18:00 market time), as if the vendor had used it then: the demo
 * vendor's last weeks, so its Insights ("What MarketPrep changed", forecast against actual) show
 * what a vendor who has used the app sees. One model trained on the sales before `from`, brought
 * up to date with each day's sales before it (`advanceDemandModel`, as the backtest does; the app
 * retrains nightly). The weather is the day's stored one (observed, where the evening before had
 * a forecast). Days that already have a list are left alone. Returns how many lists it stored.
 */
export async function storeEveningBeforeLists(options: {
  db: DatabaseClient;
  vendorId: string;
  from: string;
  to: string;
}): Promise<number> {
  const { db, vendorId, from, to } = options;
  const { history, days } = await withTenant(
    db.prisma,
    vendorId,
    async (tx) => ({
      history: await new DemandInputsRepository(tx).loadHistory(),
      days: await new InsightsRepository(tx).findMarketDays({ from, to, scheduledOnly: true }),
    }),
    { timeoutMs: 60_000 },
  );
  const inputs = buildTrainingInputs(history);
  const before = (date: string) => inputs.sales.filter((sale) => sale.date < date);
  if (days.length === 0 || before(from).length === 0) return 0;
  let model = trainDemandModel({
    sales: inputs.sales,
    covariates: inputs.covariates,
    products: inputs.products,
    trainThrough: addDays(from, -1),
    horizonDays: 1,
  });
  let stored = 0;
  for (const day of days) {
    model = advanceDemandModel({ model, sales: before(day.date), covariates: inputs.covariates });
    const current = model;
    const saved = await withTenant(db.prisma, vendorId, async (tx) => {
      const lists = new PrepListsRepository(tx);
      const market = await lists.findMarket(day.marketId);
      if (!market || (await lists.findCurrent(day.id))) return false;
      const plan = await new DemandInputsRepository(tx).loadPlanInputs({
        marketId: market.id,
        date: day.date,
      });
      const weather = chooseWeather(plan.weather).get(`${market.id}|${day.date}`);
      const marketNames = new Map(plan.markets.map((m) => [m.id, m.name]));
      const seasonOf = new Map(
        plan.products.map(productEconomics).map((p) => [p.product, p.season]),
      );
      const generatedAt = zonedInstant(addDays(day.date, -1), '18:00', market.timezone);
      const forecasts = forecastMarketDay({
        model: current,
        market,
        date: day.date,
        plan,
        weather,
      });
      await lists.saveCurrent({
        vendorId,
        marketId: market.id,
        marketDayId: day.id,
        modelVersionId: null,
        trigger: 'evening-before',
        // Never a real inputs hash: opening the day plans it again, as any past day.
        inputsHash: `evening-before:${day.date}`,
        generatedAt,
        salesAsOf: generatedAt,
        weatherAsOf: null,
        eventsAsOf: null,
        force: false,
        lines: forecasts.map((forecast) =>
          toLine(forecast, {
            marketName: (id) => marketNames.get(id) ?? 'another of your markets',
            excludedHere:
              seasonOf.get(forecast.product)?.excludedMarkets?.includes(market.id) ?? false,
          }),
        ),
      });
      return true;
    });
    if (saved) stored++;
  }
  return stored;
}

/** The engine's forecast of every active product on one market day with the given weather. */
function forecastMarketDay(options: {
  model: DemandModel;
  market: PrepListMarket;
  date: string;
  plan: DemandPlanInputs;
  weather: DemandWeatherRow | undefined;
}): PrepForecast[] {
  const { model, market, date, plan, weather } = options;
  return predictDemand({
    model,
    requests: plan.products.map((p) => ({ date, market: market.id, product: p.id })),
    covariates: [marketDayCovariates({ market, date, weather, events: plan.events })],
    products: plan.products.map(productEconomics),
    marketScales: marketScalesOf(plan.markets),
  });
}

function isStale(model: ModelVersionRecord, freshness: DemandFreshness): boolean {
  if (!freshness.latestSalesDate) return false;
  if (!model.trainedThrough) return true;
  return (
    toDayNumber(freshness.latestSalesDate) - toDayNumber(model.trainedThrough) > MODEL_MAX_LAG_DAYS
  );
}

/** The owner's sizes ("about half of Riverside") of the markets that have one, for the engine. */
function marketScalesOf(
  markets: readonly DemandPlanMarket[],
): NonNullable<PredictDemandOptions['marketScales']> {
  const scales: Record<string, { reference: string; scale: number }> = {};
  for (const m of markets) {
    if (m.sizeReferenceMarketId !== null && m.sizeScale !== null) {
      scales[m.id] = { reference: m.sizeReferenceMarketId, scale: m.sizeScale };
    }
  }
  return scales;
}

/** sha256 of everything a prep list depends on (canonical JSON of ids and change times). */
function inputsHashOf(resolved: Resolved, model: ModelVersionRecord): string {
  const { freshness, market, marketDay } = resolved;
  const time = (value: Date | null) => value?.toISOString() ?? null;
  const canonical = JSON.stringify([
    CACHE_VERSION,
    model.id,
    marketDay.id,
    marketDay.date,
    time(marketDay.updatedAt),
    time(market.updatedAt),
    time(freshness.salesAsOf),
    freshness.salesVersion,
    freshness.latestSalesDate,
    time(freshness.feedbackAsOf),
    freshness.feedbackVersion,
    time(freshness.productsAsOf),
    freshness.productCount,
    time(freshness.weatherAsOf),
    time(freshness.eventsAsOf),
    freshness.eventCount,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function toLine(
  forecast: PrepForecast,
  options: { marketName: (id: string) => string; excludedHere: boolean },
): NewPrepListLine {
  return {
    productId: forecast.product,
    q10: round(forecast.p10, 3),
    q50: round(forecast.p50, 3),
    q90: round(forecast.p90, 3),
    criticalRatio: round(forecast.criticalRatio, 4),
    qCritical: round(forecast.criticalQuantile, 3),
    quantity: forecast.recommendedQuantity,
    expectedSold: round(forecast.expectedSold, 3),
    expectedRevenueMinor: Math.max(0, Math.round(forecast.expectedRevenue ?? 0)),
    modelRung: forecast.rung,
    dataSufficiency: forecast.dataSufficiency,
    explanation: describeForecast(forecast, options),
    demandQuantiles: forecast.demandQuantiles.map((q) => round(q, 3)),
  };
}
