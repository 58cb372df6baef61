import {
  BackgroundWorkRepository,
  listActiveVendorIds,
  MarketDaysRepository,
  withTenant,
  type DatabaseClient,
} from '@marketprep/db';
import { scheduledCalendarDays } from '@marketprep/planning';
import { extendMarketCalendarsJob } from './extend-market-calendars.job';
import { parsePayload, type JobHandler } from './job';

/**
 * Builds the extend-market-calendars handler: per business with an active market, stores the
 * days its schedules open from each market's today through the planning horizon where none is
 * (one row per market and date: a cancelled or re-timed day stays as it is), so a rerun writes
 * nothing.
 */
export function createExtendMarketCalendarsHandler(deps: {
  db: DatabaseClient;
  now: () => Date;
}): JobHandler {
  return async (payload) => {
    parsePayload(extendMarketCalendarsJob, payload);
    const now = deps.now();
    const vendorIds = await listActiveVendorIds(deps.db.prisma);
    let added = 0;
    for (const vendorId of vendorIds) {
      added += await withTenant(deps.db.prisma, vendorId, async (tx) => {
        const markets = await new BackgroundWorkRepository(tx).listMarkets();
        return new MarketDaysRepository(tx).ensureMarketDays(
          scheduledCalendarDays({ vendorId, markets, now }),
        );
      });
    }
    return { businesses: vendorIds.length, added };
  };
}
