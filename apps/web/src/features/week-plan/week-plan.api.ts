/**
 * The week's plan over the API (`GET /v1/plans/week?from=`), parsed with its contract: this screen
 * is opened on a laptop in the kitchen more than at the stall, so the full check is worth it.
 */
import { WeekPlanAnswerSchema, type WeekPlanAnswer } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';

/** `/v1/plans/week?from=`. */
export function weekPlanPath(from: string): string {
  return `/v1/plans/week?from=${encodeURIComponent(from)}`;
}

/** The printable PDF of the week from `from` (the kitchen's sheet; plan feature `exports`). */
export function weekPlanPdfPath(from: string): string {
  return `/v1/plans/week/export.pdf?from=${encodeURIComponent(from)}`;
}

/** Query options of the week's plan from `from`. */
export function weekPlanQueryOptions(from: string) {
  return queryOptions({
    queryKey: ['week-plan', from] as const,
    queryFn: async ({ signal }): Promise<WeekPlanAnswer> =>
      (await fetchApi({ path: weekPlanPath(from), schema: WeekPlanAnswerSchema, signal })).data,
  });
}
