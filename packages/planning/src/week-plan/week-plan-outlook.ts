import type { WeekPlan } from '@marketprep/contracts';
import {
  isOutlookChangeSignificant,
  type OutlookChangeThreshold,
  type WeekPlanOutlookRecord,
} from '@marketprep/db';

/**
 * The week plan's outlook alerts (issue 19), decided from the plan and what the vendor was last
 * told, per product and open market day (pure; the worker stores the rows and sends the alerts):
 *
 * - first seen: the day's `make` is the baseline, nothing is sent;
 * - `make` moved from what was last told by more than the vendor's threshold: **outlook changed**
 *   (what was told becomes the new `make`); when the move brings it back within the threshold of
 *   the baseline after an earlier change, that is the **all clear** instead;
 * - rain forecast whose rain plan would move `make` beyond the threshold is a feared change: when
 *   the rain leaves the forecast (and the quantity did not move), **all clear**.
 */

/** One product whose planned quantity moved, or whose feared change went away. */
export interface OutlookItem {
  productId: string;
  productName: string;
  unit: string;
  /** What the vendor was last told to make. */
  before: number;
  /** What the plan says now. */
  after: number;
}

/** The alerts of one market day. */
export interface OutlookDayAlerts {
  marketId: string;
  marketName: string;
  date: string;
  /** Products whose planned quantity moved beyond the threshold. */
  changed: OutlookItem[];
  /** Products back within the threshold of their baseline after a change. */
  back: OutlookItem[];
  /** Products whose feared rain left the forecast. */
  rainGone: OutlookItem[];
  /** The day's rain forecast now (null: dry). */
  rain: { precipProb: number | null; precipMm: number | null } | null;
}

/** What to store and what to send. */
export interface OutlookEvaluation {
  /** Rows to insert or update (unchanged rows are left out). */
  rows: WeekPlanOutlookRecord[];
  /** Market days with something to say, in date order. */
  days: OutlookDayAlerts[];
}

const keyOf = (productId: string, marketId: string, date: string) =>
  `${productId}|${marketId}|${date}`;

/**
 * Compares the open (not frozen, deadline ahead of `now`) days of `plan` with the stored rows.
 */
export function evaluateOutlook(options: {
  plan: WeekPlan;
  stored: readonly WeekPlanOutlookRecord[];
  threshold: OutlookChangeThreshold;
  now: Date;
}): OutlookEvaluation {
  const { plan, threshold, now } = options;
  const stored = new Map(
    options.stored.map((r) => [keyOf(r.productId, r.marketId, r.marketDate), r]),
  );
  const rainOf = new Map(plan.marketDays.map((d) => [`${d.marketId}|${d.date}`, d.rain]));
  const rows: WeekPlanOutlookRecord[] = [];
  const days = new Map<string, OutlookDayAlerts>();
  const dayAlerts = (marketId: string, marketName: string, date: string) => {
    const key = `${marketId}|${date}`;
    let alerts = days.get(key);
    if (!alerts) {
      alerts = {
        marketId,
        marketName,
        date,
        changed: [],
        back: [],
        rainGone: [],
        rain: rainOf.get(key) ?? null,
      };
      days.set(key, alerts);
    }
    return alerts;
  };
  const significant = (before: number, after: number) =>
    isOutlookChangeSignificant({ before, after }, threshold);

  for (const product of plan.products) {
    for (const day of product.days) {
      if (day.frozen || Date.parse(day.deadlineAt) <= now.getTime()) continue;
      const make = day.make;
      const rainFeared = day.rain !== null && significant(make, day.rain.make);
      const previous = stored.get(keyOf(product.productId, day.marketId, day.date));
      if (!previous) {
        rows.push({
          productId: product.productId,
          marketId: day.marketId,
          marketDate: day.date,
          baseline: make,
          notified: make,
          changed: false,
          rainFeared,
        });
        continue;
      }
      const next: WeekPlanOutlookRecord = { ...previous, rainFeared };
      const item = {
        productId: product.productId,
        productName: product.productName,
        unit: product.unit,
        before: previous.notified,
        after: make,
      };
      if (significant(previous.notified, make)) {
        const backToBaseline = previous.changed && !significant(previous.baseline, make);
        const alerts = dayAlerts(day.marketId, day.marketName, day.date);
        (backToBaseline ? alerts.back : alerts.changed).push(item);
        next.notified = make;
        next.changed = significant(previous.baseline, make);
      } else if (previous.rainFeared && day.rain === null) {
        dayAlerts(day.marketId, day.marketName, day.date).rainGone.push(item);
      }
      if (
        next.notified !== previous.notified ||
        next.changed !== previous.changed ||
        next.rainFeared !== previous.rainFeared
      ) {
        rows.push(next);
      }
    }
  }
  return {
    rows,
    days: [...days.values()].sort(
      (a, b) => a.date.localeCompare(b.date) || a.marketName.localeCompare(b.marketName),
    ),
  };
}
