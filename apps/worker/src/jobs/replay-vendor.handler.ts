import type { ReplayMarketDay, ReplayMoney, ReplayResult } from '@marketprep/contracts';
import {
  DemandInputsRepository,
  ReplayRunsRepository,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import { addDays, type ReplayDay } from '@marketprep/forecast';
import { buildTrainingInputs, runOffThread } from '@marketprep/planning';
import { parsePayload, type JobHandler } from './job';
import { replayVendorJob } from './replay-vendor.job';
import type { ReplayMonthAnswer } from './replay-vendor.task';

/** Each month is replayed on a worker thread (see the task): the event loop stays free. */
const REPLAY_TASK = new URL('./replay-vendor.task.ts', import.meta.url);

/** What the replay job needs. */
export interface ReplayJobDeps {
  db: DatabaseClient;
  now: () => Date;
}

type Money = Omit<ReplayMoney, 'productDays'>;
const ZERO: Money = {
  wasteAvoidedMinor: 0,
  salesRecoveredMinor: 0,
  netMinor: 0,
  netLowMinor: 0,
  netHighMinor: 0,
};

const add = (a: ReplayMoney, b: ReplayMoney): ReplayMoney => ({
  wasteAvoidedMinor: a.wasteAvoidedMinor + b.wasteAvoidedMinor,
  salesRecoveredMinor: a.salesRecoveredMinor + b.salesRecoveredMinor,
  netMinor: a.netMinor + b.netMinor,
  netLowMinor: a.netLowMinor + b.netLowMinor,
  netHighMinor: a.netHighMinor + b.netHighMinor,
  productDays: a.productDays + b.productDays,
});
const none = (): ReplayMoney => ({ ...ZERO, productDays: 0 });

/**
 * Product-days summed per market day and rounded there, so a month is the sum of its days and
 * the totals the sum of the months, to the cent.
 */
export function sumByMarketDay(days: readonly ReplayDay[]): ReplayMarketDay[] {
  const raw = new Map<
    string,
    { date: string; marketId: string; rule: number[]; brought: number[] }
  >();
  for (const day of days) {
    const key = `${day.date}|${day.market}`;
    let entry = raw.get(key);
    if (!entry) {
      entry = {
        date: day.date,
        marketId: day.market,
        rule: [0, 0, 0, 0, 0, 0],
        brought: [0, 0, 0, 0, 0, 0],
      };
      raw.set(key, entry);
    }
    const r = entry.rule;
    r[0]! += day.vsRule.wasteAvoided;
    r[1]! += day.vsRule.salesRecovered;
    r[2]! += day.vsRule.net;
    r[3]! += day.vsRuleRange.low;
    r[4]! += day.vsRuleRange.high;
    r[5]! += 1;
    if (day.vsBrought && day.vsBroughtRange) {
      const b = entry.brought;
      b[0]! += day.vsBrought.wasteAvoided;
      b[1]! += day.vsBrought.salesRecovered;
      b[2]! += day.vsBrought.net;
      b[3]! += day.vsBroughtRange.low;
      b[4]! += day.vsBroughtRange.high;
      b[5]! += 1;
    }
  }
  const money = (v: number[]): ReplayMoney => ({
    wasteAvoidedMinor: Math.round(v[0]!),
    salesRecoveredMinor: Math.round(v[1]!),
    // Net rounded as the sum of its rounded parts, so the parts always add up to it.
    netMinor: Math.round(v[0]!) + Math.round(v[1]!),
    netLowMinor: Math.round(v[3]!),
    netHighMinor: Math.round(v[4]!),
    productDays: v[5]!,
  });
  return [...raw.values()]
    .map((e) => ({
      date: e.date,
      marketId: e.marketId,
      vsRule: money(e.rule),
      vsBrought: money(e.brought),
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.marketId.localeCompare(b.marketId));
}

/** Calendar months (`YYYY-MM-01` .. last day) covering `from`..`to`. */
function monthWindows(from: string, to: string): { from: string; to: string }[] {
  const windows: { from: string; to: string }[] = [];
  let start = from;
  while (start <= to) {
    const [y, m] = start.split('-').map(Number);
    const next =
      m === 12 ? `${(y ?? 0) + 1}-01-01` : `${y}-${String((m ?? 0) + 1).padStart(2, '0')}-01`;
    const end = addDays(next, -1);
    windows.push({ from: start, to: end < to ? end : to });
    start = next;
  }
  return windows;
}

/**
 * Replays one business's last `months` of market days (docs/replay.md): month by month, each
 * month forecast from a model trained on the sales before it (the app retrains weekly, so this
 * model is older than the app's would have been: the replay errs on the side of MarketPrep doing
 * less well), progress stored after each month. The result is the market days' sums, the months'
 * and the totals. Each month runs on a worker thread, so the worker's event loop is never held
 * by a training (replay-vendor.int.test.ts bounds its delay).
 */
export function createReplayVendorHandler(deps: ReplayJobDeps): JobHandler {
  return async (payload, context) => {
    const { vendorId, replayId } = parsePayload(replayVendorJob, payload);
    const started = performance.now();
    const run = await withTenant(deps.db.prisma, vendorId, (tx) =>
      new ReplayRunsRepository(tx).startReplay(replayId, deps.now()),
    );
    if (!run) return { skipped: 'not pending' };
    try {
      const { history, currency } = await withTenant(
        deps.db.prisma,
        vendorId,
        async (tx) => ({
          history: await new DemandInputsRepository(tx).loadHistory(),
          currency: await new ReplayRunsRepository(tx).findVendorCurrency(),
        }),
        { timeoutMs: 60_000 },
      );
      const inputs = buildTrainingInputs(history);
      const latest = inputs.sales.reduce((max, s) => (s.date > max ? s.date : max), '');
      if (!latest) throw new ReplayInputError('There are no sales to replay yet.');
      const to = latest;
      const firstMonth = `${addDays(to, -Math.round(run.months * 30.44) + 1).slice(0, 7)}-01`;
      const from = firstMonth;
      const windows = monthWindows(from, to);
      const days: ReplayDay[] = [];
      let trainings = 0;
      for (const [index, window] of windows.entries()) {
        const part = await runOffThread<ReplayMonthAnswer>(REPLAY_TASK, {
          sales: inputs.sales,
          covariates: inputs.covariates,
          products: inputs.products,
          from: window.from,
          to: window.to,
          // One training per month (see above).
          retrainDays: 62,
        });
        days.push(...part.days);
        trainings += part.trainings;
        const progress = ((index + 1) / windows.length) * 99;
        await withTenant(deps.db.prisma, vendorId, (tx) =>
          new ReplayRunsRepository(tx).setReplayProgress(replayId, progress),
        );
        context.logger?.info({ replayId, month: window.from, progress }, 'replay month done');
      }
      const marketDays = sumByMarketDay(days);
      const months = new Map<
        string,
        { marketDays: number; vsRule: ReplayMoney; vsBrought: ReplayMoney }
      >();
      for (const day of marketDays) {
        const key = day.date.slice(0, 7);
        const month = months.get(key) ?? { marketDays: 0, vsRule: none(), vsBrought: none() };
        month.marketDays += 1;
        month.vsRule = add(month.vsRule, day.vsRule);
        month.vsBrought = add(month.vsBrought, day.vsBrought);
        months.set(key, month);
      }
      const monthList = [...months].map(([month, m]) => ({ month, ...m }));
      const priced = new Set(
        inputs.products
          .filter((p) => p.price !== undefined && p.unitCost !== undefined)
          .map((p) => p.product),
      );
      const result: ReplayResult = {
        from,
        to,
        currency,
        marketDays: marketDays.length,
        productDays: days.length,
        soldOutProductDays: days.filter((d) => d.demand.censored).length,
        productsLeftOut: history.products.filter((p) => !priced.has(p.id)).map((p) => p.name),
        vsRule: monthList.reduce((sum, m) => add(sum, m.vsRule), none()),
        vsBrought: monthList.reduce((sum, m) => add(sum, m.vsBrought), none()),
        months: monthList,
        trainings,
        durationMs: Math.round(performance.now() - started),
        days: marketDays,
      };
      await withTenant(deps.db.prisma, vendorId, (tx) =>
        new ReplayRunsRepository(tx).completeReplay(replayId, result as never, deps.now()),
      );
      return { replayId, marketDays: result.marketDays, durationMs: result.durationMs };
    } catch (error) {
      const reason =
        error instanceof ReplayInputError
          ? error.message
          : 'The replay could not finish. Ask again; if it keeps failing, contact support.';
      await withTenant(deps.db.prisma, vendorId, (tx) =>
        new ReplayRunsRepository(tx).failReplay(replayId, reason, deps.now()),
      );
      if (!(error instanceof ReplayInputError)) throw error;
      return { replayId, failed: reason };
    }
  };
}

/** A replay that cannot run on this business's data (said to the owner as is). */
class ReplayInputError extends Error {}
