import {
  InputHealthSchema,
  formatLocalDate,
  type WeekPlan,
  type WeekPlanAnswer,
} from '@marketprep/contracts';
import type { DatabaseClient } from '@marketprep/db';
import {
  PlanningError,
  WeekPlanner,
  combineInputHealth,
  formatMarketDate,
  localDate,
  shiftDate,
} from '@marketprep/planning';
import { AppError } from '../../errors';
import type { TenantContext } from '../../plugins/auth';

/** A week's plan may start this many days before today (a week just past, to compare)... */
export const WEEK_PLAN_PAST_DAYS = 28;
/** ...and this many days after it (market days are on the calendar 8 weeks ahead). */
export const WEEK_PLAN_FUTURE_DAYS = 56;

/**
 * The week's plan (issue 19): one plan across the week's market days, built by
 * `@marketprep/planning`'s WeekPlanner from the same stored prep lists the prep-list screens show.
 */
export class PlansService {
  private readonly planner: WeekPlanner;

  constructor(
    private readonly options: {
      db: DatabaseClient;
      now: () => Date;
      /**
       * The prep lists the plan is built from; each carries its input health. Their GET path:
       * the planner has just stored them, so each is a cache hit, not a second computation.
       */
      prepLists: {
        getPrepListJson(target: {
          tenant: TenantContext;
          marketId: string;
          date: string;
        }): Promise<{ json: string }>;
      };
    },
  ) {
    this.planner = new WeekPlanner(options);
  }

  /** The plan of the seven dates from `from`. */
  async getWeekPlan(tenant: TenantContext, from: string): Promise<WeekPlanAnswer> {
    const today = localDate(this.options.now(), 'UTC');
    const first = shiftDate(today, WEEK_PLAN_PAST_DAYS);
    const last = shiftDate(today, -WEEK_PLAN_FUTURE_DAYS);
    if (from < first || from > last) {
      // The vendor reads this on the screen (a week typed far away): dates as the app writes them.
      const year = Number(today.slice(0, 4));
      throw new AppError(
        'BAD_REQUEST',
        `A week's plan starts between ${formatLocalDate(first, { currentYear: year })} and ${formatLocalDate(last, { currentYear: year })} (four weeks back to eight ahead).`,
        [{ path: 'from', message: `Expected a date between ${first} and ${last}` }],
      );
    }
    try {
      const plan = await this.planner.buildWeekPlan({ vendorId: tenant.vendorId, from });
      // Days past their deadline freeze on this read if the worker has not frozen them yet.
      const { plan: answered } = await this.planner.freezePassed(
        tenant.vendorId,
        plan,
        this.options.now(),
      );
      return { ...answered, health: await this.healthOf(tenant, answered) };
    } catch (error) {
      // A market day cancelled or removed while the plan was read: the next read is consistent.
      if (error instanceof PlanningError) {
        throw new AppError('CONFLICT', `The week changed while it was planned: ${error.message}`);
      }
      throw error;
    }
  }

  /** The plan's input health: its market days' prep lists' verdicts, combined. */
  private async healthOf(tenant: TenantContext, plan: WeekPlan): Promise<WeekPlanAnswer['health']> {
    const days = [];
    // One list at a time: each may be recomputed, and the plan's reads share two cores.
    for (const day of plan.marketDays) {
      const { json } = await this.options.prepLists.getPrepListJson({
        tenant,
        marketId: day.marketId,
        date: day.date,
      });
      const health = InputHealthSchema.parse((JSON.parse(json) as { health?: unknown }).health);
      const year = Number(localDate(this.options.now(), day.timezone).slice(0, 4));
      days.push({ day, health, label: `${formatMarketDate(day.date, year)} at ${day.marketName}` });
    }
    return {
      ...combineInputHealth(days),
      marketDays: days.map(({ day, health }) => ({
        marketDayId: day.marketDayId,
        verdict: health.verdict,
        summary: health.summary,
      })),
    };
  }
}
