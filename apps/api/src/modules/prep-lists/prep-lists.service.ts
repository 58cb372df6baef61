import { createHash } from 'node:crypto';
import type { PrepList, PrepListExplanation } from '@marketprep/contracts';
import {
  AuditRepository,
  DemandInputsRepository,
  ModelVersionsRepository,
  PrepListsRepository,
  withTenant,
  type DatabaseClient,
  type DemandFreshness,
  type ModelVersionRecord,
  type NewPrepListLine,
  type PrepListMarket,
  type PrepListMarketDay,
  type StoredPrepList,
  type TenantTransaction,
} from '@marketprep/db';
import {
  deserializeModel,
  predictDemand,
  serializeModel,
  toDayNumber,
  trainDemandModel,
  type DemandModel,
  type PrepForecast,
} from '@marketprep/forecast';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';
import {
  buildTrainingInputs,
  chooseWeather,
  localDateOf,
  marketDayCovariates,
  productEconomics,
  scheduleOn,
  summarizeExplanation,
  zonedInstant,
} from './prep-list-inputs';

/** A model older than the newest sales by more than this is retrained before use. */
export const MODEL_MAX_LAG_DAYS = 7;
/** A market day may be created from the weekly schedule this many days either side of today. */
export const SCHEDULE_WINDOW_DAYS = 400;
/** Bumped when the stored list's shape or computation changes, so old caches are recomputed. */
const CACHE_VERSION = 'prep-list-1';
const MODEL_CACHE_SIZE = 16;

/** Options of {@link PrepListsService}. */
export interface PrepListsServiceOptions {
  db: DatabaseClient;
  now: () => Date;
}

/** Where a prep list is. */
export interface PrepListTarget {
  tenant: TenantContext;
  marketId: string;
  date: string;
}

interface Resolved {
  market: PrepListMarket;
  marketDay: PrepListMarketDay;
  freshness: DemandFreshness;
  model: ModelVersionRecord | null;
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/**
 * Prep lists: the demand engine's answer for one market day, computed from the vendor's stored
 * model and inputs, stored as a Recommendation and served from it until an input changes.
 */
export class PrepListsService {
  /** Deserialized models by version id (versions are immutable, so this never goes stale). */
  private readonly models = new Map<string, DemandModel>();
  /** Trainings under way, per vendor: concurrent requests share one. */
  private readonly trainings = new Map<string, Promise<ModelVersionRecord>>();

  constructor(private readonly options: PrepListsServiceOptions) {}

  /**
   * The CURRENT prep list of a market day: served from the stored one when its inputs hash still
   * matches, else recomputed (training the model first when there is none or it is stale).
   * `force` recomputes regardless (POST regenerate).
   */
  async getPrepList(target: PrepListTarget & { force?: boolean }): Promise<PrepList> {
    const { tenant, marketId, date } = target;
    const force = target.force ?? false;
    const first = await withTenant(this.options.db.prisma, tenant.vendorId, async (tx) => {
      const resolved = await this.resolve(tx, target);
      if (force || !resolved.model || this.isStale(resolved.model, resolved.freshness)) {
        return { resolved };
      }
      const lists = new PrepListsRepository(tx);
      const current = await lists.findCurrent(resolved.marketDay.id);
      if (current?.inputsHash !== inputsHashOf(resolved, resolved.model)) return { resolved };
      return { resolved, stored: await lists.loadPrepList(current.id) };
    });
    if (first.stored) return toPrepList(first.stored, first.resolved.market, date);

    const { resolved } = first;
    const { record, model } = await this.ensureModel(tenant.vendorId, resolved);
    const inputsHash = inputsHashOf(resolved, record);
    const generatedAt = this.options.now();
    const stored = await withTenant(this.options.db.prisma, tenant.vendorId, async (tx) => {
      const plan = await new DemandInputsRepository(tx).loadPlanInputs({ marketId, date });
      const weather = chooseWeather(plan.weather).get(`${marketId}|${date}`);
      const forecasts = predictDemand({
        model,
        requests: plan.products.map((p) => ({ date, market: marketId, product: p.id })),
        covariates: [
          marketDayCovariates({ market: resolved.market, date, weather, events: plan.events }),
        ],
        products: plan.products.map(productEconomics),
      });
      const lists = new PrepListsRepository(tx);
      const id = await lists.saveCurrent({
        vendorId: tenant.vendorId,
        marketId,
        marketDayId: resolved.marketDay.id,
        modelVersionId: record.id,
        trigger: force ? 'manual' : 'inputs-changed',
        inputsHash,
        generatedAt,
        salesAsOf: resolved.freshness.salesAsOf,
        weatherAsOf: resolved.freshness.weatherAsOf,
        eventsAsOf: resolved.freshness.eventsAsOf,
        force,
        lines: forecasts.map(toLine),
      });
      return lists.loadPrepList(id);
    });
    if (!stored) throw new AppError('INTERNAL', 'The prep list just stored could not be read.');
    return toPrepList(stored, resolved.market, date);
  }

  /**
   * Sets (or clears) the vendor's own quantity of one product on the CURRENT prep list; it is
   * kept when the list is recomputed. Answers the updated list.
   */
  async setOverride(
    target: PrepListTarget & { productId: string; overrideQuantity: number | null },
  ): Promise<PrepList> {
    const list = await this.getPrepList(target);
    const { tenant } = target;
    await withTenant(this.options.db.prisma, tenant.vendorId, async (tx) => {
      const found = await new PrepListsRepository(tx).setOverride({
        recommendationId: list.id,
        productId: target.productId,
        overrideQuantity: target.overrideQuantity,
        userId: tenant.userId,
      });
      if (!found) {
        throw new AppError(
          'NOT_FOUND',
          'This prep list has no such product (unknown, inactive or another business’s).',
        );
      }
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType === 'api_token' ? 'api_token' : 'user',
        action: 'prep_list.override',
        targetType: 'recommendation',
        targetId: list.id,
        metadata: { productId: target.productId, overrideQuantity: target.overrideQuantity },
      });
    });
    const line = list.lines.find((l) => l.productId === target.productId);
    return {
      ...list,
      lines: list.lines.map((l) => (l === line ? withOverride(l, target.overrideQuantity) : l)),
      totals: totalsOf(
        list.lines.map((l) => (l === line ? withOverride(l, target.overrideQuantity) : l)),
      ),
    };
  }

  private async resolve(tx: TenantTransaction, target: PrepListTarget): Promise<Resolved> {
    const { tenant, marketId, date } = target;
    const lists = new PrepListsRepository(tx);
    const market = await lists.findMarket(marketId);
    if (!market) throw new AppError('NOT_FOUND', 'No such market.');
    let marketDay = await lists.findMarketDay({ marketId, date });
    if (!marketDay) {
      const opening = scheduleOn(market, date);
      const today = localDateOf(this.options.now(), market.timezone);
      const distance = Math.abs(toDayNumber(date) - toDayNumber(today));
      if (!opening || distance > SCHEDULE_WINDOW_DAYS) {
        throw new AppError(
          'NOT_FOUND',
          `${date} is not a market day of ${market.name}: it is neither a scheduled market day nor on its weekly schedule.`,
        );
      }
      marketDay = await lists.createMarketDay({
        vendorId: tenant.vendorId,
        marketId,
        date,
        opensAt: zonedInstant(date, opening.opensAt, market.timezone),
        closesAt: zonedInstant(date, opening.closesAt, market.timezone),
      });
    }
    if (marketDay.status === 'CANCELLED') {
      throw new AppError('CONFLICT', `The market day ${date} of ${market.name} is cancelled.`);
    }
    const freshness = await new DemandInputsRepository(tx).findFreshness({ marketId });
    const model = await new ModelVersionsRepository(tx).findLatestActive();
    return { market, marketDay, freshness, model };
  }

  private isStale(model: ModelVersionRecord, freshness: DemandFreshness): boolean {
    if (!freshness.latestSalesDate) return false;
    if (!model.trainedThrough) return true;
    return (
      toDayNumber(freshness.latestSalesDate) - toDayNumber(model.trainedThrough) >
      MODEL_MAX_LAG_DAYS
    );
  }

  /** The model to plan with: the stored ACTIVE one when loadable and fresh, else a new one. */
  private async ensureModel(
    vendorId: string,
    resolved: Resolved,
  ): Promise<{ record: ModelVersionRecord; model: DemandModel }> {
    let record = resolved.model;
    if (!record || this.isStale(record, resolved.freshness)) {
      record = await this.trainOnce(vendorId);
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
      record = await this.trainOnce(vendorId);
      const fresh = this.models.get(record.id);
      if (!fresh) throw new AppError('INTERNAL', 'A freshly trained model is missing.');
      return { record, model: fresh };
    }
    this.remember(id, model);
    return { record, model };
  }

  private remember(id: string, model: DemandModel): void {
    this.models.delete(id);
    this.models.set(id, model);
    while (this.models.size > MODEL_CACHE_SIZE) {
      const oldest = this.models.keys().next().value;
      if (oldest === undefined) break;
      this.models.delete(oldest);
    }
  }

  private trainOnce(vendorId: string): Promise<ModelVersionRecord> {
    let running = this.trainings.get(vendorId);
    if (!running) {
      running = this.train(vendorId).finally(() => this.trainings.delete(vendorId));
      this.trainings.set(vendorId, running);
    }
    return running;
  }

  /** Trains the vendor's model from all its history and stores it as the ACTIVE version. */
  private async train(vendorId: string): Promise<ModelVersionRecord> {
    const history = await withTenant(
      this.options.db.prisma,
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
      this.options.db.prisma,
      vendorId,
      (tx) =>
        new ModelVersionsRepository(tx).activate({
          vendorId,
          engineVersion: `forecast-format-${model.formatVersion}`,
          trainedAt: this.options.now(),
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
            trigger: 'on-demand',
          },
        }),
      { timeoutMs: 30_000 },
    );
    this.remember(record.id, model);
    return record;
  }
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
    freshness.salesCount,
    freshness.latestSalesDate,
    time(freshness.feedbackAsOf),
    freshness.feedbackCount,
    time(freshness.productsAsOf),
    freshness.productCount,
    time(freshness.weatherAsOf),
    time(freshness.eventsAsOf),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function toLine(forecast: PrepForecast): NewPrepListLine {
  const { explanation } = forecast;
  const stored: PrepListExplanation = {
    baseline: round(explanation.baseline, 3),
    baselineSupport: Math.round(explanation.baselineSupport),
    effects: explanation.effects.map((effect) => ({
      name: effect.name,
      units: round(effect.units, 3),
      percent: round(effect.percent, 1),
      support: Math.max(0, Math.round(effect.support)),
    })),
    summary: summarizeExplanation(explanation),
  };
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
    explanation: stored,
  };
}

type Line = PrepList['lines'][number];

function withOverride(line: Line, overrideQuantity: number | null): Line {
  return {
    ...line,
    overrideQuantity,
    effectiveQuantity: overrideQuantity ?? line.recommendedQuantity,
  };
}

function totalsOf(lines: readonly Line[]): PrepList['totals'] {
  return {
    effectiveQuantity: lines.reduce((sum, l) => sum + l.effectiveQuantity, 0),
    expectedRevenueMinor: lines.reduce((sum, l) => sum + l.expectedRevenueMinor, 0),
  };
}

const RUNGS = new Set(['pooled', 'thin', 'cold-start', 'closed']);
const SUFFICIENCY = new Set(['none', 'thin', 'some', 'rich']);

function toPrepList(stored: StoredPrepList, market: PrepListMarket, date: string): PrepList {
  const lines: Line[] = stored.lines.map((line) => ({
    productId: line.productId,
    productName: line.productName,
    unit: line.unit,
    q10: line.q10,
    q50: line.q50,
    q90: line.q90,
    criticalRatio: line.criticalRatio,
    recommendedQuantity: line.quantity,
    overrideQuantity: line.overrideQuantity,
    effectiveQuantity: line.overrideQuantity ?? line.quantity,
    expectedSold: line.expectedSold,
    expectedRevenueMinor: line.expectedRevenueMinor,
    modelRung: (RUNGS.has(line.modelRung) ? line.modelRung : 'pooled') as Line['modelRung'],
    dataSufficiency: (SUFFICIENCY.has(line.dataSufficiency)
      ? line.dataSufficiency
      : 'none') as Line['dataSufficiency'],
    explanation: line.explanation as PrepListExplanation,
  }));
  const time = (value: Date | null) => value?.toISOString() ?? null;
  return {
    id: stored.id,
    marketId: stored.marketId,
    marketName: market.name,
    marketDayId: stored.marketDayId,
    date,
    timezone: market.timezone,
    vendorName: market.vendorName,
    currency: market.currency,
    trigger: stored.trigger,
    generatedAt: stored.generatedAt.toISOString(),
    salesAsOf: time(stored.salesAsOf),
    weatherAsOf: time(stored.weatherAsOf),
    eventsAsOf: time(stored.eventsAsOf),
    model: stored.model
      ? {
          id: stored.model.id,
          engineVersion: stored.model.engineVersion,
          trainedAt: stored.model.trainedAt.toISOString(),
          trainedThrough: stored.model.trainedThrough,
        }
      : null,
    totals: totalsOf(lines),
    lines,
  };
}
