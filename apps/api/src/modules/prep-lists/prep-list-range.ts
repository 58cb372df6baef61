import { MAX_PREP_LIST_RANGE_DAYS, type PrepListRangeQuery } from '@marketprep/contracts';
import { MarketDaysRepository, withTenant, type DatabaseClient } from '@marketprep/db';
import { z } from 'zod';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';
import type { PrepListsService } from './prep-lists.service';

const RangeCursorSchema = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.uuid()]);
const DAY_MS = 86_400_000;

/**
 * One page of the prep lists of the SCHEDULED market days in [from, to] (the stored calendar,
 * which holds the next 8 weeks), by date then market, as JSON text: each list is the one
 * `GET /v1/markets/:marketId/prep-lists/:date` answers (same fast path and cache). Days the engine
 * gives no list for (beyond its horizon) are left out.
 */
export async function prepListRangeJson(options: {
  db: DatabaseClient;
  prepLists: PrepListsService;
  tenant: TenantContext;
  query: PrepListRangeQuery;
}): Promise<string> {
  const { query, tenant } = options;
  const span = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS;
  if (span < 0)
    throw new AppError('BAD_REQUEST', '`to` is before `from`.', [
      { path: 'to', message: 'Must be on or after from' },
    ]);
  if (span >= MAX_PREP_LIST_RANGE_DAYS)
    throw new AppError(
      'BAD_REQUEST',
      `A range may span at most ${MAX_PREP_LIST_RANGE_DAYS} days; read it in parts.`,
      [{ path: 'to', message: `At most ${MAX_PREP_LIST_RANGE_DAYS - 1} days after from` }],
    );
  const after = decodeCursor(query.cursor, RangeCursorSchema);
  const days = await withTenant(options.db.prisma, tenant.vendorId, (tx) =>
    new MarketDaysRepository(tx).listScheduledDaysAcrossMarkets({
      from: query.from,
      to: query.to,
      marketId: query.marketId,
      after: after ? { date: after[0], marketId: after[1] } : undefined,
      take: query.limit + 1,
    }),
  );
  const page = days.slice(0, query.limit);
  const lists: string[] = [];
  for (const day of page) {
    try {
      lists.push(
        (
          await options.prepLists.getPrepListJson({
            tenant,
            marketId: day.marketId,
            date: day.date,
          })
        ).json,
      );
    } catch (error) {
      // Not a market day for the engine (too far ahead) or cancelled meanwhile: no list.
      if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'CONFLICT'))
        continue;
      throw error;
    }
  }
  const last = page.at(-1);
  const nextCursor =
    days.length > query.limit && last ? encodeCursor([last.date, last.marketId]) : null;
  return `{"data":[${lists.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}
