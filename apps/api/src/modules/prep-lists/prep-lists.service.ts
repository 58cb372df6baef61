import type { InputHealth, PrepList } from '@marketprep/contracts';
import {
  AuditRepository,
  PrepListReadsRepository,
  PrepListsRepository,
  findPrepListState,
  withTenant,
  type DatabaseClient,
  type PrepListMarket,
  type PrepListState,
  type StoredPrepList,
} from '@marketprep/db';
import { closingHolidayOn, PlanningError, PrepListPlanner } from '@marketprep/planning';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';
import type { Redis } from 'ioredis';
import type { ApiMetrics } from '../../plugins/metrics';
import { ReadCoalescer } from '../../lib/coalesce';
import { etagOf } from '../../lib/etag';
import { FailOpenRedis, SharedTextCache } from '../../lib/redis-cache';
import { notAMarketDayErrorOf } from '../market-days/not-a-market-day';
import {
  availabilityOf,
  coldStartOf,
  explanationOf,
  lineOutcome,
  totalsOf,
} from './prep-list-lines';
import { PrepListHealth, withHealthJson } from './prep-list-health';
import { currentIsFresh, jsonCacheKeyOf } from './prep-list-read-cache';

export { MODEL_MAX_LAG_DAYS, SCHEDULE_WINDOW_DAYS } from '@marketprep/planning';

/** Options of {@link PrepListsService}. */
export interface PrepListsServiceOptions {
  db: DatabaseClient;
  now: () => Date;
  /**
   * Counts the read fast path's hits and misses (`cache="prep-list"`) and the serialized lists'
   * (`cache="prep-list-json"`, with fallbacks when Redis is away).
   */
  metrics?: Pick<ApiMetrics, 'cacheHits' | 'cacheMisses' | 'cacheFallbacks'>;
  /** Shares the serialized lists with every replica (fails open to PostgreSQL). */
  redis?: Redis;
  /** Key prefix in Redis (tests). */
  redisPrefix?: string;
}

/** A serialized list lives this long in Redis (its key names its content; this bounds memory). */
const JSON_TTL_MS = 6 * 60 * 60_000;

/** Where a prep list is. */
export interface PrepListTarget {
  tenant: TenantContext;
  marketId: string;
  date: string;
}

/** A prep list as sent: its JSON (with health) and that body's ETag. */
export interface ServedJson {
  json: string;
  etag: string;
}

/**
 * Prep lists: the demand engine's answer for one market day, computed from the vendor's stored
 * model and inputs, stored as a Recommendation and served from it until an input changes. The
 * computation lives in `@marketprep/planning`, shared with the worker's scheduled jobs.
 */
export class PrepListsService {
  private readonly planner: PrepListPlanner;
  /**
   * Serialized CURRENT lists by recommendation id and everything else the JSON depends on
   * (jsonCacheKeyOf): 1,000 in this process in front of Redis, shared by every replica.
   */
  private readonly json: SharedTextCache;
  /** State reads per (vendor, market, date), coalesced. */
  private readonly states = new ReadCoalescer<PrepListState>();
  /** Recomputations under way per (vendor, market, date): concurrent misses share one. */
  private readonly computing = new Map<string, Promise<ServedJson>>();
  /** Input health, computed at read time (it ages while the stored list does not change). */
  private readonly health: PrepListHealth;
  /**
   * The lists behind the cached JSON, so adding health to a hit does not parse it again, and the
   * last body served with its health and ETag: reads within the health's minute send the same
   * bytes, so they are not composed and hashed again (hashing was a tenth of a hit's CPU).
   */
  private readonly parsed = new Map<
    string,
    { json: string; list: ListWithoutHealth; served?: { health: InputHealth } & ServedJson }
  >();

  constructor(private readonly options: PrepListsServiceOptions) {
    this.planner = new PrepListPlanner({ db: options.db, now: options.now });
    this.health = new PrepListHealth({ db: options.db, now: options.now });
    const metrics = options.metrics;
    const counters = metrics && {
      hit: (cache: string) => metrics.cacheHits.inc({ cache }),
      miss: (cache: string) => metrics.cacheMisses.inc({ cache }),
      fallback: (cache: string) => metrics.cacheFallbacks.inc({ cache }),
    };
    this.json = new SharedTextCache({
      name: 'prep-list-json',
      ...(options.redis ? { redis: new FailOpenRedis({ redis: options.redis, counters }) } : {}),
      ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}),
      ...(counters ? { counters } : {}),
      ttlMs: JSON_TTL_MS,
      localEntries: 1_000,
    });
  }

  private rememberParsed(id: string, json: string, list: ListWithoutHealth): void {
    this.parsed.delete(id);
    this.parsed.set(id, { json, list });
    while (this.parsed.size > 1_000) {
      const oldest = this.parsed.keys().next().value;
      if (oldest === undefined) break;
      this.parsed.delete(oldest);
    }
  }

  /** `list` with its input health (docs/input-health.md). */
  private async withHealth(tenant: TenantContext, list: ListWithoutHealth): Promise<PrepList> {
    const key = `${list.id}|${list.generatedAt}`;
    return { ...list, health: await this.health.healthOf(tenant.vendorId, list, key) };
  }

  /**
   * The CURRENT prep list of a market day: served from the stored one when its inputs hash still
   * matches, else recomputed (training the model first when there is none or it is stale).
   * `force` recomputes regardless (POST regenerate).
   */
  async getPrepList(target: PrepListTarget & { force?: boolean }): Promise<PrepList> {
    const generated = await this.generate(target);
    return this.withHealth(
      target.tenant,
      toPrepList(generated.stored, generated.market, target.date),
    );
  }

  private async generate(
    target: PrepListTarget & { force?: boolean },
  ): Promise<{ stored: StoredPrepList; market: PrepListMarket }> {
    const { tenant, marketId, date } = target;
    try {
      return await this.planner.generatePrepList({
        vendorId: tenant.vendorId,
        marketId,
        date,
        force: target.force ?? false,
      });
    } catch (error) {
      if (error instanceof PlanningError && error.code === 'NOT_A_MARKET_DAY') {
        const refusal = await notAMarketDayErrorOf({
          db: this.options.db,
          vendorId: tenant.vendorId,
          marketId,
          date,
          plannerReason: error.message,
          now: this.options.now(),
        });
        if (refusal) throw refusal;
      }
      throw toAppError(error);
    }
  }

  /**
   * The CURRENT prep list as JSON text (GET). Fast path: one row-level-secured statement on plain
   * `pg` checks that the stored list is still current (same checks and inputs hash as the planner),
   * then the list is served from the in-process JSON cache or read with two indexed queries.
   * Anything else (no list yet, stale model, changed inputs, unknown or cancelled day) goes
   * through {@link getPrepList}, which recomputes and answers the errors.
   */
  async getPrepListJson(target: PrepListTarget): Promise<ServedJson> {
    const fast = await this.readCurrent(target).catch(() => null);
    if (fast !== null) {
      this.options.metrics?.cacheHits.inc({ cache: 'prep-list' });
      // The list's health is read apart (cached a minute per list): the stored JSON has none.
      const list = fast.list;
      const health = await this.health.healthOf(
        target.tenant.vendorId,
        list,
        `${list.id}|${list.generatedAt}`,
      );
      const entry = this.parsed.get(list.id);
      const served = entry?.served;
      if (served && entry.json === fast.json && served.health === health) return served;
      const json = withHealthJson(fast.json, health);
      const body = { json, etag: etagOf(json) };
      if (entry?.json === fast.json) entry.served = { health, ...body };
      return body;
    }
    this.options.metrics?.cacheMisses.inc({ cache: 'prep-list' });
    const key = `${target.tenant.vendorId}|${target.marketId}|${target.date}`;
    let running = this.computing.get(key);
    if (!running) {
      running = this.getPrepList(target)
        .then((list) => {
          const json = JSON.stringify(list);
          return { json, etag: etagOf(json) };
        })
        .finally(() => this.computing.delete(key));
      this.computing.set(key, running);
    }
    return running;
  }

  private async readCurrent(
    target: PrepListTarget,
  ): Promise<{ json: string; list: ListWithoutHealth } | null> {
    const { tenant, marketId, date } = target;
    const where = { vendorId: tenant.vendorId, marketId, date };
    // A hit costs one round trip: the state (tenant-scoped by the database function) and the
    // serialized list under the key that state gives, in this process or else in Redis (made by
    // any replica). Concurrent reads of the same list share state reads that began after they
    // arrived (ReadCoalescer). The key is only asked for after the caller's own RLS-scoped
    // statement named its recommendation id, so no tenant reads another's list.
    const state = await this.states.read(`${tenant.vendorId}|${marketId}|${date}`, () =>
      findPrepListState(this.options.db.pool, where),
    );
    if (!currentIsFresh(state, date)) return null;
    const cached = await this.json.get(jsonCacheKeyOf(state, date));
    if (cached !== undefined) {
      const parsed = this.parsed.get(state.current.id);
      if (parsed?.json === cached) return { json: cached, list: parsed.list };
      // Serialized by another replica: parsed once here, for the health of every later hit.
      const list = JSON.parse(cached) as ListWithoutHealth;
      this.rememberParsed(state.current.id, cached, list);
      return { json: cached, list };
    }
    // Not serialized yet: the state again and the list in one snapshot, so the JSON stored under
    // a key is the list that key describes.
    return withTenant(
      this.options.db.prisma,
      tenant.vendorId,
      async (tx) => {
        const reads = new PrepListReadsRepository(tx);
        const fresh = await reads.findState(where);
        if (!currentIsFresh(fresh, date)) return null;
        const stored = await reads.loadPrepList(fresh.current.id);
        if (!stored) return null;
        const list = toPrepList(stored, fresh.market, date);
        const json = JSON.stringify(list);
        this.rememberParsed(fresh.current.id, json, list);
        return { state: fresh, json, list };
      },
      { readOnly: true },
    ).then(async (read) => {
      if (!read) return null;
      // Stored after the transaction: its connection goes back to the pool before Redis answers.
      await this.json.set(jsonCacheKeyOf(read.state, date), read.json);
      return { json: read.json, list: read.list };
    });
  }

  /**
   * Sets (or clears) the vendor's own quantity of one product on the CURRENT prep list; it is
   * kept when the list is recomputed. Answers the updated list: the line's expected sales and
   * revenue, and the totals, at the new quantity.
   */
  async setOverride(
    target: PrepListTarget & { productId: string; overrideQuantity: number | null },
  ): Promise<PrepList> {
    const { stored, market } = await this.generate(target);
    const { tenant } = target;
    await withTenant(this.options.db.prisma, tenant.vendorId, async (tx) => {
      const found = await new PrepListsRepository(tx).setOverride({
        recommendationId: stored.id,
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
        targetId: stored.id,
        metadata: { productId: target.productId, overrideQuantity: target.overrideQuantity },
      });
    });
    const updated: StoredPrepList = {
      ...stored,
      lines: stored.lines.map((line) =>
        line.productId === target.productId
          ? { ...line, overrideQuantity: target.overrideQuantity }
          : line,
      ),
    };
    return this.withHealth(tenant, toPrepList(updated, market, target.date));
  }
}

/** Planning refusals as the API's errors (404 unknown market or day, 409 cancelled day). */
function toAppError(error: unknown): unknown {
  if (!(error instanceof PlanningError)) return error;
  switch (error.code) {
    case 'MARKET_NOT_FOUND':
    case 'NOT_A_MARKET_DAY':
      return new AppError('NOT_FOUND', error.message);
    case 'MARKET_DAY_CANCELLED':
      return new AppError('CONFLICT', error.message);
    default:
      return new AppError('INTERNAL', error.message);
  }
}

type Line = PrepList['lines'][number];
/** A prep list before its input health is added (the stored, cacheable part). */
type ListWithoutHealth = Omit<PrepList, 'health'>;

const RUNGS = new Set<string>(['pooled', 'thin', 'cold-start', 'closed', 'out-of-season']);
const SUFFICIENCY = new Set(['none', 'thin', 'some', 'rich']);

/**
 * The contract's prep list from the stored one: each line at the quantity the vendor will bring
 * (see lineOutcome), totals of the lines that count, and the cold-start note.
 */
function toPrepList(
  stored: StoredPrepList,
  market: PrepListMarket,
  date: string,
): ListWithoutHealth {
  const outcomes = stored.lines.map((line) => {
    const availability = availabilityOf(line.explanation);
    return { line, availability, ...lineOutcome({ ...line, inSeason: availability.inSeason }) };
  });
  const lines: Line[] = outcomes.map(({ line, availability, ...outcome }) => ({
    productId: line.productId,
    productName: line.productName,
    unit: line.unit,
    q10: line.q10,
    q50: line.q50,
    q90: line.q90,
    criticalRatio: line.criticalRatio,
    recommendedQuantity: line.quantity,
    overrideQuantity: line.overrideQuantity,
    effectiveQuantity: outcome.effectiveQuantity,
    expectedSold: outcome.expectedSold,
    expectedRevenueMinor: outcome.expectedRevenueMinor,
    // From the product's price now (joined in by both read paths), never from a revenue of 0: a
    // priced product left at home, or not expected to sell, also expects 0.
    priced: line.priceMinor > 0,
    costed: line.unitCostMinor > 0,
    modelRung: (RUNGS.has(line.modelRung) ? line.modelRung : 'pooled') as Line['modelRung'],
    dataSufficiency: (SUFFICIENCY.has(line.dataSufficiency)
      ? line.dataSufficiency
      : 'none') as Line['dataSufficiency'],
    availability,
    explanation: explanationOf(line.explanation),
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
    coldStart: coldStartOf(lines),
    closingHoliday: closingHolidayOn(market, date),
    totals: totalsOf(outcomes),
    lines,
  };
}
