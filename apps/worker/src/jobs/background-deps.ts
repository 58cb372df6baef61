import {
  BackgroundWorkRepository,
  OutboxRepository,
  withTenant,
  type DatabaseClient,
  type WorkerMarket,
} from '@marketprep/db';
import {
  isProviderError,
  type BreakerRegistry,
  type NwsClient,
  type OpenMeteoClient,
  type TicketmasterClient,
} from '@marketprep/integrations';
import {
  localDate,
  scheduleOn,
  zonedInstant,
  type PlansConfig,
  type PrepListPlanner,
} from '@marketprep/planning';
import { UnrecoverableError } from 'bullmq';

/** Provider clients and their breakers (one registry per process, for metrics and health). */
export interface ProviderDeps {
  breakers: BreakerRegistry;
  nws?: NwsClient;
  openMeteo?: OpenMeteoClient;
  ticketmaster?: TicketmasterClient;
}

/** What the background jobs (weather, events, prep lists, retrain, alerts) need. */
export interface BackgroundDeps {
  db: DatabaseClient;
  now: () => Date;
  planner: PrepListPlanner;
  providers: ProviderDeps;
  /** The billing plans when billing is on: weather and event alerts are a plan feature. */
  billingPlans?: PlansConfig;
}

/** One upcoming market day of a market, with its opening instant. */
export interface UpcomingMarketDay {
  market: WorkerMarket;
  date: string;
  opensAt: Date;
}

const addDays = (date: string, days: number) => {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
};

/**
 * The market days of `markets` from today (market-local) through `days` days ahead: stored
 * SCHEDULED days, plus days on the weekly schedule that are not stored (a stored CANCELLED day
 * wins over the schedule).
 */
export async function upcomingMarketDays(
  repo: BackgroundWorkRepository,
  markets: readonly WorkerMarket[],
  now: Date,
  days: number,
): Promise<UpcomingMarketDay[]> {
  if (markets.length === 0) return [];
  const todays = markets.map((m) => localDate(now, m.timezone)).sort();
  const from = addDays(todays[0] ?? localDate(now, 'UTC'), -1);
  const to = addDays(todays[todays.length - 1] ?? from, days + 1);
  const stored = await repo.listMarketDays({ from, to });
  const byKey = new Map(stored.map((d) => [`${d.marketId}|${d.date}`, d]));
  const out: UpcomingMarketDay[] = [];
  for (const market of markets) {
    const today = localDate(now, market.timezone);
    for (let offset = 0; offset <= days; offset++) {
      const date = addDays(today, offset);
      const known = byKey.get(`${market.id}|${date}`);
      if (known?.status === 'CANCELLED') continue;
      const opening = scheduleOn(market, date);
      if (!known && !opening) continue;
      const opensAt =
        known?.opensAt ??
        (opening
          ? zonedInstant(date, opening.opensAt, market.timezone)
          : zonedInstant(date, '08:00', market.timezone));
      out.push({ market, date, opensAt });
    }
  }
  return out.sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
}

/** Requests work through the outbox, for one vendor (dedupe key collapses pending duplicates). */
export async function requestWork(
  db: DatabaseClient,
  vendorId: string,
  work: {
    jobName: string;
    payload: Record<string, unknown>;
    dedupeKey?: string;
    availableAt?: Date;
    requestId?: string | null;
  },
): Promise<{ id: string; deduplicated: boolean }> {
  return withTenant(db.prisma, vendorId, (tx) =>
    new OutboxRepository(tx).enqueue({
      jobName: work.jobName,
      payload: work.payload,
      dedupeKey: work.dedupeKey ?? null,
      requestId: work.requestId ?? null,
      ...(work.availableAt ? { availableAt: work.availableAt } : {}),
    }),
  );
}

/** A provider error that retrying cannot fix (4xx, bad answer) becomes UnrecoverableError. */
export function unrecoverableIfFinal(error: unknown): unknown {
  if (isProviderError(error) && !error.retryable) {
    return new UnrecoverableError(error.message);
  }
  return error;
}

/** Runs `fn` with the vendor's background-work repository in one tenant transaction. */
export function withVendor<T>(
  db: DatabaseClient,
  vendorId: string,
  fn: (repo: BackgroundWorkRepository) => Promise<T>,
): Promise<T> {
  return withTenant(db.prisma, vendorId, (tx) => fn(new BackgroundWorkRepository(tx)));
}

export { addDays };
