import {
  DemandInputsRepository,
  NotificationsRepository,
  withTenant,
  type NewNotification,
} from '@marketprep/db';
import { formatLocalDate } from '@marketprep/contracts';
import { chooseWeather, localDate } from '@marketprep/planning';
import { upcomingMarketDays, withVendor, type BackgroundDeps } from './background-deps';
import { parsePayload, type JobHandler } from './job';
import { vendorHasFeature } from './plan-features';
import { sendAlertsJob } from './send-alerts.job';

/** Planned market days this far ahead are watched. */
export const ALERT_HORIZON_DAYS = 7;
/** Heavy rain: a chance of precipitation of at least this, or this many mm. */
export const HEAVY_RAIN_PROB = 0.7;
export const HEAVY_RAIN_MM = 10;
/** A big event: expected attendance of at least this. */
export const BIG_EVENT_ATTENDANCE = 5_000;

/**
 * Alerts for the vendor's planned market days: heavy rain forecast, a big event nearby, a provider
 * sync failing. Each condition is notified once (notification dedupe key per market day and cause),
 * so re-evaluating after every refresh does not repeat it.
 */
export function createSendAlertsHandler(deps: BackgroundDeps): JobHandler {
  return async (payload) => {
    const { vendorId } = parsePayload(sendAlertsJob, payload);
    const now = deps.now();
    const alerts: NewNotification[] = [];
    // Weather and event alerts are the plan feature `alerts`; "sync is failing" is not an alert
    // a plan sells, so every plan keeps it.
    const watching = await vendorHasFeature(
      { db: deps.db, plans: deps.billingPlans, now: deps.now },
      vendorId,
      'alerts',
    );
    const days = watching
      ? await withVendor(deps.db, vendorId, async (repo) =>
          upcomingMarketDays(repo, await repo.listMarkets(), now, ALERT_HORIZON_DAYS),
        )
      : [];
    await withTenant(deps.db.prisma, vendorId, async (tx) => {
      const inputs = new DemandInputsRepository(tx);
      for (const day of days) {
        const { id: marketId, name } = day.market;
        // The day as the vendor reads it everywhere ("Sat, Dec 5"), never the ISO date.
        const when = formatLocalDate(day.date, {
          currentYear: Number(localDate(now, day.market.timezone).slice(0, 4)),
        });
        const plan = await inputs.loadPlanInputs({ marketId, date: day.date });
        const weather = chooseWeather(plan.weather).get(`${marketId}|${day.date}`);
        const prob = weather?.precipProb ?? null;
        const mm = weather?.precipMm ?? null;
        if ((prob !== null && prob >= HEAVY_RAIN_PROB) || (mm !== null && mm >= HEAVY_RAIN_MM)) {
          const parts = [
            prob !== null ? `${Math.round(prob * 100)}% chance of rain` : null,
            mm !== null ? `${mm} mm expected` : null,
          ].filter(Boolean);
          alerts.push({
            vendorId,
            kind: 'weather.heavy_rain',
            title: `Heavy rain forecast for ${name} on ${when}`,
            body: `${parts.join(', ')}. The prep list accounts for it; check it before you pack.`,
            data: { marketId, date: day.date, precipProb: prob, precipMm: mm },
            dedupeKey: `heavy-rain:${marketId}:${day.date}`,
          });
        }
        for (const event of plan.events) {
          if ((event.expectedAttendance ?? 0) < BIG_EVENT_ATTENDANCE) continue;
          alerts.push({
            vendorId,
            kind: 'event.big',
            title: `Big event near ${name} on ${when}`,
            body: `${event.name} (about ${(event.expectedAttendance ?? 0).toLocaleString('en-US')} people) may bring more customers.`,
            data: { marketId, date: day.date, event: event.name },
            dedupeKey: `big-event:${marketId}:${day.date}:${event.name.slice(0, 100)}`,
          });
        }
      }
    });
    const failing = await withVendor(deps.db, vendorId, (repo) => repo.failingConnections());
    for (const connection of failing) {
      alerts.push(syncFailingNotification(vendorId, connection, now));
    }
    let created = 0;
    await withTenant(deps.db.prisma, vendorId, async (tx) => {
      const notifications = new NotificationsRepository(tx);
      for (const alert of alerts) {
        if (await notifications.createNotification(alert)) created++;
      }
    });
    return { evaluated: alerts.length, created };
  };
}

/**
 * The "sync is failing" notification of a connection (ERROR or REFRESH_FAILED), at most one a day
 * per connection and status (dedupe key): send-alerts and the token refresh both create it.
 */
export function syncFailingNotification(
  vendorId: string,
  connection: { id: string; provider: string; status: 'ERROR' | 'REFRESH_FAILED' },
  now: Date,
): NewNotification {
  return {
    vendorId,
    kind: 'sync.failing',
    title: `${connection.provider} sync is failing`,
    body:
      connection.status === 'REFRESH_FAILED'
        ? 'We could not renew access. Reconnect it in settings so sales keep flowing in.'
        : 'Sales are not syncing. Check the connection in settings.',
    data: { connectionId: connection.id, status: connection.status },
    // At most one reminder a day while it keeps failing.
    dedupeKey: `sync-failing:${connection.id}:${connection.status}:${now.toISOString().slice(0, 10)}`,
  };
}
