import { PlanningError } from '@marketprep/planning';
import { UnrecoverableError } from 'bullmq';
import type { BackgroundDeps } from './background-deps';
import { generatePrepListJob } from './generate-prep-list.job';
import { parsePayload, type JobHandler } from './job';

/** Computes and stores one market day's prep list with the API's code (`@marketprep/planning`). */
export function createGeneratePrepListHandler(deps: BackgroundDeps): JobHandler {
  return async (payload) => {
    const { vendorId, marketId, date, trigger } = parsePayload(generatePrepListJob, payload);
    try {
      const generated = await deps.planner.generatePrepList({
        vendorId,
        marketId,
        date,
        trigger: trigger ?? 'scheduled',
      });
      return {
        recommendationId: generated.stored.id,
        recomputed: generated.recomputed,
        lines: generated.stored.lines.length,
      };
    } catch (error) {
      if (error instanceof PlanningError) {
        // A cancelled day needs no list; an unknown market or date will not become known by retrying.
        if (error.code === 'MARKET_DAY_CANCELLED') return { skipped: 'cancelled' };
        if (error.code !== 'INTERNAL') throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  };
}
