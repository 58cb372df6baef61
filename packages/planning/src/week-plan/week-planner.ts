import {
  formatLocalDate,
  pluralizeUnit,
  type WeekPlan,
  type WeekPlanDay,
  type WeekPlanRain,
} from '@marketprep/contracts';
import { createHash } from 'node:crypto';
import {
  AlertSettingsRepository,
  BackgroundWorkRepository,
  MarketDaysRepository,
  NotificationsRepository,
  WeekPlanRepository,
  withTenant,
  type DatabaseClient,
  type NewNotification,
  type StoredPrepListLine,
  type WeekPlanInputs,
} from '@marketprep/db';
import { QUANTILE_LEVELS } from '@marketprep/forecast';
import { PrepListPlanner } from '../planner';
import { pickupDates } from '../pre-order-pickups';
import { localDate } from '../local-time';
import { scheduledCalendarDays } from '../market-calendar';
import { closingHolidayOn } from '../holidays';
import {
  dayOutcome,
  planProductWeek,
  round3,
  type FixedDay,
  type PlanDay,
  type PlanDayInput,
  type PlanProductFacts,
} from './week-plan-allocation';
import { evaluateOutlook, type OutlookDayAlerts, type OutlookItem } from './week-plan-outlook';
import { rainForecastOf, rainyWeatherOf, type RainForecast } from './week-plan-rain';
import {
  decisionDeadlineAt,
  DEFAULT_DECISION_DEADLINE,
  reminderDue,
  shiftDate,
} from './week-plan-deadline';

/** A week is seven market dates from `from`. */
export const WEEK_PLAN_DAYS = 7;
/** (business, week) calendar checks remembered before the memo starts again (memory bound). */
const CALENDAR_CHECKS_KEPT = 50_000;
/** Kept stock is looked for in check-ins this many days before the week. */
export const KEPT_LOOKBACK_DAYS = 14;

/** A market day with rain forecast: the rain, and each product's demand if it comes true. */
export interface RainyDay {
  forecast: RainForecast;
  /** By product id: the engine's demand quantiles and newsvendor quantity under the rain. */
  lines: ReadonlyMap<string, { demandQuantiles: readonly number[]; quantity: number }>;
}

/** Notification kinds of the week's plan (docs/week-plan.md). */
export const WEEK_PLAN_NOTIFICATION_KINDS = {
  deadlineReminder: 'week_plan.deadline_reminder',
  outlookChanged: 'week_plan.outlook_changed',
  allClear: 'week_plan.all_clear',
} as const;

/**
 * The week's plan across markets, from the stored prep lists (one code path for the API and the
 * worker): per product, what to make by its deadline for each market day, with carry-over,
 * pre-orders, batches and a shared capacity (see week-plan-allocation.ts), and the frozen numbers
 * of the days whose deadline has passed.
 */
export class WeekPlanner {
  private readonly prepLists: PrepListPlanner;
  /** The UTC day each (business, week) had its scheduled days put on the calendar. */
  private readonly calendarChecked = new Map<string, string>();

  constructor(private readonly options: { db: DatabaseClient; now: () => Date }) {
    this.prepLists = new PrepListPlanner(options);
  }

  /** The plan of the seven dates from `from`. */
  async buildWeekPlan(request: { vendorId: string; from: string }): Promise<WeekPlan> {
    const { vendorId, from } = request;
    const to = shiftDate(from, -(WEEK_PLAN_DAYS - 1));
    const now = this.options.now();
    // The calendar holds a schedule's days the planning horizon ahead as of the last daily run
    // (extend-market-calendars): a week read before it would miss its Saturday. Checked once a
    // day per business and week (schedule edits re-plan the horizon themselves).
    const checked = `${vendorId}|${from}`;
    const day = now.toISOString().slice(0, 10);
    const check = this.calendarChecked.get(checked) !== day;
    const inputs = await withTenant(this.options.db.prisma, vendorId, async (tx) => {
      if (check) {
        const markets = await new BackgroundWorkRepository(tx).listMarkets();
        await new MarketDaysRepository(tx).ensureMarketDays(
          scheduledCalendarDays({ vendorId, markets, now, from, to }),
        );
      }
      return new WeekPlanRepository(tx).loadWeekInputs({
        from,
        to,
        keptLookbackDays: KEPT_LOOKBACK_DAYS,
      });
    });
    if (check) {
      // Remembered once committed: a rolled-back check is made again on the next read.
      if (this.calendarChecked.size >= CALENDAR_CHECKS_KEPT) this.calendarChecked.clear();
      this.calendarChecked.set(checked, day);
    }
    const lines = new Map<string, Map<string, StoredPrepListLine>>();
    const rain = new Map<string, RainyDay>();
    for (const day of inputs.marketDays) {
      const generated = await this.prepLists.generatePrepList({
        vendorId,
        marketId: day.marketId,
        date: day.date,
      });
      lines.set(day.id, new Map(generated.stored.lines.map((line) => [line.productId, line])));
      const wet = await this.prepLists.forecastWeatherScenario({
        vendorId,
        marketId: day.marketId,
        date: day.date,
        scenario: rainyWeatherOf,
      });
      const forecast = wet ? rainForecastOf(wet.chosen) : null;
      if (wet && forecast) {
        rain.set(day.id, {
          forecast,
          lines: new Map(
            wet.forecasts.map((f) => [
              f.product,
              { demandQuantiles: f.demandQuantiles, quantity: f.recommendedQuantity },
            ]),
          ),
        });
      }
    }
    return assembleWeekPlan({ inputs, lines, rain, from, to, now });
  }

  /**
   * Freezes every (product, market day) whose decision deadline has passed, with the plan as it is
   * now (the freshest inputs), for the weeks from the earliest market's today that hold a deadline
   * (see {@link duePlans}). Returns how many were frozen (already frozen ones stay as they were).
   */
  async freezeDue(vendorId: string): Promise<number> {
    const now = this.options.now();
    let frozen = 0;
    for (const plan of await this.duePlans(vendorId, now)) {
      frozen += (await this.freezePassed(vendorId, plan, now)).frozen;
    }
    return frozen;
  }

  /**
   * The plans the worker looks at: the week from the earliest market's today, and as many weeks
   * after it as the longest decision lead time of the business needs ("order jars 10 days
   * before": a market 10 days ahead has its deadline today, so its reminder and freeze are due
   * now). With the default (the evening before) that is one week.
   */
  async duePlans(vendorId: string, now: Date): Promise<WeekPlan[]> {
    const longest = await withTenant(this.options.db.prisma, vendorId, (tx) =>
      new WeekPlanRepository(tx).findLongestDecisionLead(),
    );
    const from = this.todayOf(now);
    const plans: WeekPlan[] = [];
    for (let week = 0; week < dueWeeks(longest); week++) {
      plans.push(
        await this.buildWeekPlan({ vendorId, from: shiftDate(from, -WEEK_PLAN_DAYS * week) }),
      );
    }
    return plans;
  }

  /**
   * Freezes the days of `plan` whose deadline is past `now` and answers the plan with them marked
   * frozen: a plan read after a deadline (before the worker's next run) freezes what it shows, so
   * a list printed then is the list that stays.
   */
  async freezePassed(
    vendorId: string,
    plan: WeekPlan,
    now: Date,
  ): Promise<{ plan: WeekPlan; frozen: number }> {
    const rows = plan.products.flatMap((product) =>
      product.days
        .filter((day) => !day.frozen && Date.parse(day.deadlineAt) <= now.getTime())
        .map((day) => ({
          vendorId,
          productId: product.productId,
          marketId: day.marketId,
          marketDate: day.date,
          deadlineAt: new Date(day.deadlineAt),
          make: day.make,
          bring: day.bring,
          line: { ...day, frozen: true, frozenAt: now.toISOString() },
        })),
    );
    if (rows.length === 0) return { plan, frozen: 0 };
    const frozen = await withTenant(this.options.db.prisma, vendorId, (tx) =>
      new WeekPlanRepository(tx).freeze(rows),
    );
    // Read again: a concurrent freeze (the worker, another reader) may have won some rows, and
    // theirs are the numbers that stay.
    const fresh = await this.buildWeekPlan({ vendorId, from: plan.from });
    return { plan: fresh, frozen };
  }

  /**
   * One reminder per deadline instant (notification dedupe key), within the reminder lead time
   * before it: which products to make and for which market days. Returns how many were created.
   */
  async remindDue(vendorId: string, given?: readonly WeekPlan[]): Promise<number> {
    const now = this.options.now();
    const plans = given ?? (await this.duePlans(vendorId, now));
    const due = new Map<string, { product: string; day: WeekPlanDay; unit: string }[]>();
    // Across the plans: one deadline instant may hold days of two weeks (different lead times).
    for (const product of plans.flatMap((plan) => plan.products)) {
      for (const day of product.days) {
        if (day.frozen || day.make <= 0 || !reminderDue(new Date(day.deadlineAt), now)) continue;
        const list = due.get(day.deadlineAt) ?? [];
        list.push({ product: product.productName, day, unit: product.unit });
        due.set(day.deadlineAt, list);
      }
    }
    if (due.size === 0) return 0;
    // A day to make for that most markets skip (Christmas Day): the reminder says to check first.
    const holidayDays = new Map(
      plans
        .flatMap((plan) => plan.marketDays)
        .filter((day) => day.closingHoliday !== null)
        .map((day) => [day.marketDayId, day]),
    );
    return withTenant(this.options.db.prisma, vendorId, async (tx) => {
      const notifications = new NotificationsRepository(tx);
      let created = 0;
      for (const [deadlineAt, items] of due) {
        const first = items[0]?.day;
        if (!first) continue;
        const year = Number(first.date.slice(0, 4));
        const what = items
          .slice(0, 6)
          .map(
            (item) =>
              `${item.day.make} ${item.product} for ${item.day.marketName} (${formatLocalDate(item.day.date, { currentYear: year })})`,
          )
          .join(', ');
        const more = items.length > 6 ? ` and ${items.length - 6} more` : '';
        const holidays = [...new Set(items.map((item) => item.day.marketDayId))].flatMap((id) => {
          const day = holidayDays.get(id);
          return day
            ? [
                ` ${formatLocalDate(day.date, { currentYear: year })} is ${day.closingHoliday}: most markets are closed, so check that ${day.marketName} opens.`,
              ]
            : [];
        });
        const id = await notifications.createNotification({
          vendorId,
          kind: WEEK_PLAN_NOTIFICATION_KINDS.deadlineReminder,
          title: `Decide by ${hoursLeft(deadlineAt, now)}: this week's plan freezes soon`,
          body: `Make ${what}${more}.${holidays.join('')} Open "This week" to check before it freezes.`,
          data: {
            deadlineAt,
            items: items.map((item) => ({
              product: item.product,
              marketDayId: item.day.marketDayId,
              date: item.day.date,
              make: item.day.make,
            })),
          },
          dedupeKey: `week-plan-reminder:${deadlineAt}`,
        });
        if (id !== null) created++;
      }
      return created;
    });
  }

  /**
   * The outlook alerts (week-plan-outlook.ts): compares the plan's open days with what the vendor
   * was last told and creates `week_plan.outlook_changed` when a planned quantity moved by more
   * than the vendor's threshold, `week_plan.all_clear` when a feared change went away, once per
   * change (the stored rows move on in the same transaction; dedupe keys guard concurrent runs).
   * Returns how many notifications were created.
   */
  async alertOutlookDue(vendorId: string, given?: readonly WeekPlan[]): Promise<number> {
    const now = this.options.now();
    const plans = given ?? (await this.duePlans(vendorId, now));
    let created = 0;
    for (const plan of plans) created += await this.alertOutlookOf(vendorId, plan, now);
    return created;
  }

  private alertOutlookOf(vendorId: string, plan: WeekPlan, now: Date): Promise<number> {
    return withTenant(this.options.db.prisma, vendorId, async (tx) => {
      const outlooks = new WeekPlanRepository(tx);
      const threshold = await new AlertSettingsRepository(tx).getOutlookChangeThreshold(vendorId);
      const stored = await outlooks.listOutlooks({ from: plan.from, to: plan.to });
      const { rows, days } = evaluateOutlook({ plan, stored, threshold, now });
      await outlooks.saveOutlooks(vendorId, rows, now);
      const notifications = new NotificationsRepository(tx);
      let created = 0;
      for (const notification of outlookNotifications(vendorId, days, now)) {
        if ((await notifications.createNotification(notification)) !== null) created++;
      }
      return created;
    });
  }

  /**
   * The worker's run for one business (week-plan-deadlines): reminders, outlook alerts and the
   * freeze of passed deadlines, from one plan built once.
   */
  async runDue(vendorId: string): Promise<{ reminded: number; outlook: number; frozen: number }> {
    const now = this.options.now();
    const plans = await this.duePlans(vendorId, now);
    const reminded = await this.remindDue(vendorId, plans);
    const outlook = await this.alertOutlookDue(vendorId, plans);
    let frozen = 0;
    for (const plan of plans) frozen += (await this.freezePassed(vendorId, plan, now)).frozen;
    return { reminded, outlook, frozen };
  }

  /** The first date of the plan the worker looks at: today where it is earliest (UTC-12 side). */
  private todayOf(now: Date): string {
    // The week from "today" in UTC minus one day covers every market's local today.
    return shiftDate(localDate(now, 'UTC'), 1);
  }
}

/** The notifications of the outlook alerts: per market day, one "changed" and one "all clear". */
export function outlookNotifications(
  vendorId: string,
  days: readonly OutlookDayAlerts[],
  now: Date,
): NewNotification[] {
  const notifications: NewNotification[] = [];
  // Runs at the same time (two workers) send one; the same change again hours later is news.
  const hour = now.toISOString().slice(0, 13);
  const fingerprint = (items: readonly OutlookItem[]) =>
    createHash('sha256')
      .update(
        items
          .map((i) => `${i.productId}:${i.before}>${i.after}`)
          .sort()
          .join(','),
      )
      .digest('hex')
      .slice(0, 16);
  const named = (items: readonly OutlookItem[], say: (item: OutlookItem) => string) =>
    items.slice(0, 6).map(say).join('; ') +
    (items.length > 6 ? `; and ${items.length - 6} more` : '');
  for (const day of days) {
    const when = formatLocalDate(day.date, { currentYear: Number(day.date.slice(0, 4)) });
    const data = { marketId: day.marketId, date: day.date };
    if (day.changed.length > 0) {
      const rain = day.rain
        ? ` Rain is forecast${day.rain.precipProb !== null ? ` (${Math.round(day.rain.precipProb * 100)}% chance)` : ''}: see the rain plan.`
        : '';
      notifications.push({
        vendorId,
        kind: WEEK_PLAN_NOTIFICATION_KINDS.outlookChanged,
        title: `The plan changed for ${day.marketName} on ${when}`,
        body: `${named(day.changed, (i) => `${i.productName}: make ${i.after} instead of ${i.before}`)}.${rain} Open "This week" to check before it freezes.`,
        data: { ...data, items: day.changed },
        dedupeKey: `week-plan-outlook:${day.marketId}:${day.date}:${fingerprint(day.changed)}:${hour}`,
      });
    }
    const clear = [...day.back, ...day.rainGone];
    if (clear.length > 0) {
      const parts = [
        day.back.length > 0
          ? `Back to plan: ${named(day.back, (i) => `${i.productName} ${i.after} (was ${i.before})`)}.`
          : null,
        day.rainGone.length > 0
          ? `The rain is out of the forecast: ${named(day.rainGone, (i) => `${i.productName} stays at ${i.after}`)}.`
          : null,
      ].filter(Boolean);
      notifications.push({
        vendorId,
        kind: WEEK_PLAN_NOTIFICATION_KINDS.allClear,
        title: `All clear for ${day.marketName} on ${when}`,
        body: parts.join(' '),
        data: { ...data, back: day.back, rainGone: day.rainGone },
        dedupeKey: `week-plan-all-clear:${day.marketId}:${day.date}:${fingerprint(clear)}:${hour}`,
      });
    }
  }
  return notifications;
}

/**
 * Weeks from the earliest market's today (yesterday in UTC) that hold every deadline due now or
 * within the reminder's lead: a market `lead` days after a local today lies at most `lead + 2`
 * days after the plan's first date, one more for a reminder that starts the day before.
 */
export function dueWeeks(longestLead: number | null): number {
  const lead = Math.max(longestLead ?? 0, DEFAULT_DECISION_DEADLINE.daysBefore);
  return Math.ceil((lead + 4) / WEEK_PLAN_DAYS);
}

function hoursLeft(deadlineAt: string, now: Date): string {
  const minutes = Math.max(0, Math.round((Date.parse(deadlineAt) - now.getTime()) / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** Demand at QUANTILE_LEVELS from a stored line (the three deciles when none was kept). */
function demandQuantilesOf(line: StoredPrepListLine): number[] {
  if (line.demandQuantiles.length === QUANTILE_LEVELS.length) return line.demandQuantiles;
  // Same reading as the prep list's override (apps/api prep-list-lines quantilesThroughDeciles).
  return QUANTILE_LEVELS.map((level) => {
    const slope = level <= 0.5 ? (line.q50 - line.q10) / 0.4 : (line.q90 - line.q50) / 0.4;
    return Math.max(0, line.q50 + slope * (level - 0.5));
  });
}

/**
 * The prep list's quantity for walk-up sales as the list counts it: the override or the engine's
 * quantity; nothing for an out-of-season line the vendor did not set (as the list's totals).
 */
function prepQuantityOf(line: StoredPrepListLine): number {
  const explanation = line.explanation as { availability?: { inSeason?: unknown } } | null;
  const outOfSeason =
    line.modelRung === 'out-of-season' || explanation?.availability?.inSeason === false;
  if (outOfSeason && line.overrideQuantity === null) return 0;
  return Math.max(0, Math.round(line.overrideQuantity ?? line.quantity));
}

/** The plan from loaded inputs and each market day's stored prep-list lines (by product). */
export function assembleWeekPlan(options: {
  inputs: WeekPlanInputs;
  lines: ReadonlyMap<string, ReadonlyMap<string, StoredPrepListLine>>;
  /** Market days with rain forecast (by market day id): the engine's forecast with the rain come true. */
  rain?: ReadonlyMap<string, RainyDay>;
  from: string;
  to: string;
  now: Date;
}): WeekPlan {
  const { inputs, lines, from, to, now } = options;
  const rain = options.rain ?? new Map<string, RainyDay>();
  const markets = new Map(inputs.markets.map((m) => [m.id, m]));
  const dayOf = new Map(inputs.marketDays.map((d) => [`${d.marketId}|${d.date}`, d]));
  const preOrdered = new Map<string, number>();
  for (const order of inputs.preOrders) {
    for (const date of pickupDates(order, from, to)) {
      const day = dayOf.get(`${order.marketId}|${date}`);
      if (!day) continue;
      const key = `${order.productId}|${day.id}`;
      preOrdered.set(key, (preOrdered.get(key) ?? 0) + order.quantity);
    }
  }
  const frozen = new Map(
    inputs.freezes.map((f) => [`${f.productId}|${f.marketId}|${f.marketDate}`, f]),
  );

  const products = inputs.products.flatMap((product) => {
    const planning = product.planning;
    const deadline = planning?.decisionDeadline ?? DEFAULT_DECISION_DEADLINE;
    const minimumAt = (marketId: string) =>
      planning?.marketMinimums.find((m) => m.marketId.toLowerCase() === marketId.toLowerCase())
        ?.units ??
      planning?.standingMinimum ??
      0;
    const open: PlanDayInput[] = [];
    // The same days with the rain come true where it is forecast (the rain plan).
    const rainy: PlanDayInput[] = [];
    const frozenDays: WeekPlanDay[] = [];
    const deadlines = new Map<string, string>();
    for (const day of inputs.marketDays) {
      const market = markets.get(day.marketId);
      if (!market) continue;
      const line = lines.get(day.id)?.get(product.id);
      const preOrders = preOrdered.get(`${product.id}|${day.id}`) ?? 0;
      // Not on this day's list (not brought to this market) and nobody ordered it: no plan row.
      if (!line && preOrders === 0) continue;
      const deadlineAt = decisionDeadlineAt({
        marketDate: day.date,
        timeZone: market.timezone,
        deadline,
      }).toISOString();
      deadlines.set(day.id, deadlineAt);
      const stored = frozen.get(`${product.id}|${day.marketId}|${day.date}`);
      if (stored) {
        frozenDays.push({
          ...(stored.line as WeekPlanDay),
          // Frozen before the rain plan existed: none; before expected carry-over: none either.
          rain: (stored.line as Partial<WeekPlanDay>).rain ?? null,
          carriedExpected: (stored.line as Partial<WeekPlanDay>).carriedExpected ?? 0,
          frozen: true,
          frozenAt: stored.frozenAt.toISOString(),
        });
        continue;
      }
      const prepQuantity = line ? prepQuantityOf(line) : 0;
      const input: PlanDayInput = {
        key: day.id,
        date: day.date,
        demandQuantiles: line ? demandQuantilesOf(line) : QUANTILE_LEVELS.map(() => 0),
        prepQuantity,
        preOrders,
        // The standing minimum fills a table the product is on; an out-of-season line is not.
        standingMinimum: line && prepQuantity > 0 ? minimumAt(day.marketId) : 0,
      };
      open.push(input);
      const wet = line ? rain.get(day.id)?.lines.get(product.id) : undefined;
      rainy.push(
        line && wet
          ? {
              ...input,
              demandQuantiles: wet.demandQuantiles,
              // The vendor's override stays their number; out of season stays 0.
              prepQuantity:
                prepQuantity === 0 || line.overrideQuantity !== null
                  ? prepQuantity
                  : Math.max(0, Math.round(wet.quantity)),
            }
          : input,
      );
    }
    if (open.length === 0 && frozenDays.length === 0) return [];

    const kept = inputs.kept.find((k) => k.productId === product.id);
    // A frozen day leaves its check-in's kept stock, or until then its expected leftover.
    const keptOn = (marketId: string, date: string) =>
      inputs.keptInWeek.find(
        (k) => k.productId === product.id && k.marketId === marketId && k.date === date,
      );
    const fixed: FixedDay[] = frozenDays.map((d) => {
      const checkIn = keptOn(d.marketId, d.date);
      return {
        date: d.date,
        carriedOver: d.carriedOver,
        make: d.make,
        leftover: checkIn ? checkIn.units : d.expectedLeftover,
        checkedIn: checkIn !== undefined,
      };
    });
    const facts: PlanProductFacts = {
      priceMinor: product.priceMinor,
      unitCostMinor: product.unitCostMinor,
      salvageValueMinor: product.salvageValueMinor,
      batchSize: planning?.batchSize ?? 1,
      shelfLifeDays: product.shelfLifeDays,
      capacity: planning?.capacity ?? null,
    };
    const planWeek = (days: readonly PlanDayInput[]) =>
      planProductWeek({
        facts,
        days,
        carried: kept ? [{ fromDate: kept.date, units: kept.units }] : [],
        fixed,
      });
    const plan = planWeek(open);
    // The rain plan is the same plan with rainy demand on the rainy days: batches, minimums,
    // pre-orders, carry-over and a shared capacity all count as they do in the plan.
    const rainPlan = rainy.some((day, index) => day !== open[index]) ? planWeek(rainy) : null;
    const rainyInputs = new Map(rainy.map((day) => [day.key, day]));
    const dayById = new Map(inputs.marketDays.map((d) => [d.id, d]));
    const openDays: WeekPlanDay[] = plan.days.map((day) => {
      const marketDay = dayById.get(day.key);
      const marketId = marketDay?.marketId ?? '';
      const forecast = rain.get(day.key)?.forecast;
      const wetDay = rainPlan?.days.find((d) => d.key === day.key);
      const wetInput = rainyInputs.get(day.key);
      return {
        marketDayId: day.key,
        marketId,
        marketName: markets.get(marketId)?.name ?? '',
        date: day.date,
        deadlineAt: deadlines.get(day.key) ?? now.toISOString(),
        frozen: false,
        frozenAt: null,
        prepQuantity: day.prepQuantity,
        preOrders: day.preOrders,
        standingMinimum: day.standingMinimum,
        carriedOver: day.carriedOver,
        carriedExpected: day.carriedExpected,
        makeUncapped: day.makeUncapped,
        make: day.make,
        cut: day.cut,
        bring: day.bring,
        preOrdersShort: day.preOrdersShort,
        expectedSold: day.expectedSold,
        expectedRevenueMinor: day.expectedRevenueMinor,
        expectedLeftover: day.expectedLeftover,
        expectedProfitMinor: day.expectedProfitMinor,
        cutProfitMinor: day.cutProfitMinor,
        rain:
          forecast && wetDay && wetInput
            ? rainPlanOf({ forecast, day, rainy: wetDay, rainyInput: wetInput, facts })
            : null,
      };
    });
    const days = [...frozenDays, ...openDays].sort(
      (a, b) => a.date.localeCompare(b.date) || a.marketName.localeCompare(b.marketName),
    );
    const capacity = planning?.capacity ?? null;
    return [
      {
        productId: product.id,
        productName: product.name,
        unit: product.unit,
        batchSize: planning?.batchSize ?? 1,
        capacity,
        totalMake: days.reduce((sum, d) => sum + d.make, 0),
        totalCut: days.reduce((sum, d) => sum + d.cut, 0),
        carriedOverUnused: plan.carriedOverUnused,
        capacityBound: plan.capacityBound,
        priced: product.priceMinor > 0,
        costed: product.unitCostMinor > 0,
        cutNote: cutNoteOf(days, capacity, product.unit),
        days,
      },
    ];
  });

  const all = products.flatMap((p) => p.days);
  return {
    from,
    to,
    generatedAt: now.toISOString(),
    marketDays: inputs.marketDays.map((d) => {
      const market = markets.get(d.marketId);
      return {
        marketDayId: d.id,
        marketId: d.marketId,
        marketName: market?.name ?? '',
        date: d.date,
        timezone: market?.timezone ?? 'UTC',
        rain: rain.get(d.id)?.forecast ?? null,
        closingHoliday: market ? closingHolidayOn(market, d.date) : null,
      };
    }),
    products,
    totals: {
      make: all.reduce((sum, d) => sum + d.make, 0),
      bring: all.reduce((sum, d) => sum + d.bring, 0),
      expectedRevenueMinor: all.reduce((sum, d) => sum + d.expectedRevenueMinor, 0),
      expectedProfitMinor: all.reduce((sum, d) => sum + d.expectedProfitMinor, 0),
    },
  };
}

/** The rain plan of one open day: the plan re-made with rainy demand, and what it changes. */
function rainPlanOf(options: {
  forecast: RainForecast;
  day: PlanDay;
  rainy: PlanDay;
  rainyInput: PlanDayInput;
  facts: PlanProductFacts;
}): WeekPlanRain {
  const { forecast, day, rainy, rainyInput, facts } = options;
  // The plan as it stands, sold under the rain: what not switching to the rain plan would earn.
  const unchanged = dayOutcome(rainyInput, facts, day.carriedOver, day.make);
  const planProfitIfRainMinor = Math.round(unchanged.profitMinor);
  // Leaving units at home that are already made (Saturday's cookies on Sunday) saves nothing, so
  // a rain plan that earns less than the plan as it stands is no plan: bring the same.
  const same = rainy.bring !== day.bring && planProfitIfRainMinor >= rainy.expectedProfitMinor;
  const outcome = same
    ? {
        make: day.make,
        bring: day.bring,
        expectedSold: round3(unchanged.sold),
        expectedRevenueMinor: Math.round(unchanged.revenueMinor),
        expectedProfitMinor: planProfitIfRainMinor,
      }
    : {
        make: rainy.make,
        bring: rainy.bring,
        expectedSold: rainy.expectedSold,
        expectedRevenueMinor: rainy.expectedRevenueMinor,
        expectedProfitMinor: rainy.expectedProfitMinor,
      };
  return {
    precipProb: forecast.precipProb,
    precipMm: forecast.precipMm,
    prepQuantity: rainy.prepQuantity,
    ...outcome,
    revenueDifferenceMinor: outcome.expectedRevenueMinor - day.expectedRevenueMinor,
    profitDifferenceMinor: outcome.expectedProfitMinor - day.expectedProfitMinor,
    planProfitIfRainMinor,
  };
}

/** What the capacity cut where, in the vendor's words; null when nothing was cut. */
export function cutNoteOf(
  days: readonly WeekPlanDay[],
  capacity: { units: number; period: 'week' | 'day' } | null,
  unit: string,
): string | null {
  const cuts = days.filter((d) => d.cut > 0);
  if (!capacity || cuts.length === 0) return null;
  const year = Number(cuts[0]?.date.slice(0, 4));
  const where = cuts
    .map(
      (d) =>
        `${d.cut} fewer for ${d.marketName} on ${formatLocalDate(d.date, { currentYear: year })}`,
    )
    .join(', ');
  const kept = days.filter((d) => d.cut === 0 && d.make > 0).map((d) => d.marketName);
  const period = capacity.period === 'week' ? 'a week' : 'a day';
  return (
    `You can make ${capacity.units} ${pluralizeUnit(unit, capacity.units)} ${period}: ${where}, where the last ones were expected to earn least` +
    (kept.length > 0 ? ` (${[...new Set(kept)].join(', ')} kept in full).` : '.')
  );
}
