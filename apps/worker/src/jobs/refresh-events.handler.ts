import { localDate } from '@marketprep/planning';
import {
  addDays,
  requestWork,
  unrecoverableIfFinal,
  withVendor,
  type BackgroundDeps,
} from './background-deps';
import { parsePayload, type JobHandler } from './job';
import { refreshEventsJob } from './refresh-events.job';

/** Events this far ahead and this close to a market are looked up. */
export const EVENTS_HORIZON_DAYS = 30;
export const EVENTS_RADIUS_KM = 5;

/**
 * Ticketmaster events near each of the vendor's markets, upserted by (vendor, source, external
 * id), so a rerun changes nothing. No key configured: the provider is off and the job skips.
 */
export function createRefreshEventsHandler(deps: BackgroundDeps): JobHandler {
  return async (payload, context) => {
    const { vendorId } = parsePayload(refreshEventsJob, payload);
    const { ticketmaster, breakers } = deps.providers;
    if (!ticketmaster || ticketmaster.status === 'disabled') return { skipped: 'no-api-key' };
    const now = deps.now();
    const markets = await withVendor(deps.db, vendorId, (repo) => repo.listMarkets());
    let upserted = 0;
    for (const market of markets) {
      const startDate = localDate(now, market.timezone);
      let events;
      try {
        events = await breakers.get('ticketmaster').run(() =>
          ticketmaster.searchEvents({
            latitude: market.latitude,
            longitude: market.longitude,
            radiusKm: EVENTS_RADIUS_KM,
            startDate,
            endDate: addDays(startDate, EVENTS_HORIZON_DAYS),
          }),
        );
      } catch (error) {
        throw unrecoverableIfFinal(error);
      }
      const fetchedAt = deps.now();
      upserted += await withVendor(deps.db, vendorId, (repo) =>
        repo.upsertProviderEvents({
          vendorId,
          marketId: market.id,
          source: 'TICKETMASTER',
          fetchedAt,
          events: events.map((e) => ({
            externalId: e.externalId,
            name: e.name,
            date: e.date,
            startsAt: e.startsAt ? new Date(e.startsAt) : null,
            venueName: e.venueName,
            distanceKm: e.distanceKm,
            expectedAttendance: e.expectedAttendance,
            category: e.category,
            url: e.url,
          })),
        }),
      );
    }
    if (upserted > 0) {
      await requestWork(deps.db, vendorId, {
        jobName: 'send-alerts',
        payload: { vendorId },
        dedupeKey: `alerts:${vendorId}`,
        requestId: context.requestId ?? null,
      });
    }
    return { upserted };
  };
}
