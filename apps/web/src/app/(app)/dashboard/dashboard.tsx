'use client';

import type { GoNoGo } from '@marketprep/contracts';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';

import { AppLink } from '../../../components/app-link';
import { Button, ButtonLink } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorState } from '../../../components/error-state';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { Money } from '../../../components/money';
import { hasVerdict } from '../../../features/insights/go-no-go';
import { HolidayCheck } from '../../../features/markets/holiday-check';
import { marketsQueryOptions } from '../../../features/markets/markets.api';
import { soonestMarketDay } from '../../../features/markets/soonest-market-day';
import { prepListQueryOptions } from '../../../features/prep-list/prep-list.api';
import { MarketList } from '../../../features/markets/market-list';
import { notificationsMarkedShape } from '../../../lib/api-shapes';
import { useTemperatureUnit } from '../../../features/vendor-settings/vendor-settings.api';
import {
  currentYearIn,
  formatLocalDate,
  formatTemperature,
  type TemperatureUnit,
} from '../../../lib/format';
import { apiFetch, describeWriteError, useSession } from '../../../lib/session';
import {
  notificationsQueryKey,
  recentImportsQueryOptions,
  unreadAlertsQueryOptions,
  upcomingDaysQueryOptions,
} from './dashboard.api';
import { formatAge } from './freshness';

// Only people without a business see this form; it (and the zod schema it validates with) loads
// when needed instead of with every dashboard.
const NoBusiness = dynamic(() => import('./no-business').then((module) => module.NoBusiness));

type MarketDayOutlook = GoNoGo['data'][number];

/** Where a market day's prep list lives (the prep-list area's route). */
export function prepListHref(marketId: string, date: string): string {
  return `/prep-list/${marketId}/${date}`;
}

const RECOMMENDATION: Record<MarketDayOutlook['recommendation'], { label: string; tone: string }> =
  {
    go: { label: 'Worth going', tone: 'badge--ok' },
    marginal: { label: 'Marginal', tone: 'badge--warn' },
    skip: { label: 'Below booth fee', tone: 'badge--bad' },
  };

function WeatherLine({
  weather,
  unit,
}: {
  weather: MarketDayOutlook['weather'];
  /** °F or °C, by the market's country or the business's choice. */
  unit: TemperatureUnit;
}) {
  if (!weather) return <p className="card__meta">No weather forecast yet</p>;
  const parts = [
    weather.summary,
    weather.tempMaxC !== null ? `high ${formatTemperature(weather.tempMaxC, unit)}` : null,
    weather.precipProb !== null ? `${Math.round(weather.precipProb * 100)}% chance of rain` : null,
  ].filter(Boolean);
  return <p className="card__meta">{parts.length > 0 ? parts.join(' · ') : 'Forecast received'}</p>;
}

/** The next market days whose prep lists the dashboard reads (their health, events' freshness). */
const DAYS_WITH_LISTS = 3;

const HEALTH_BADGE = {
  good: { label: 'Inputs good', tone: 'badge--ok' },
  check: { label: 'Check inputs', tone: 'badge--warn' },
  stale: { label: 'Inputs out of date', tone: 'badge--bad' },
} as const;

/**
 * The input health of a market day's prep list (docs/input-health.md), on the dashboard card of
 * the next few days: the verdict and, when not good, what is off. Reading the list also warms it
 * for "Open prep list".
 */
function DayHealth({ marketId, date }: { marketId: string; date: string }) {
  const query = useQuery({ ...prepListQueryOptions(marketId, date), retry: false });
  const health = query.data?.list.health;
  if (!health) return null;
  const badge = HEALTH_BADGE[health.verdict];
  return (
    <p className="card__meta" data-testid="day-health" data-verdict={health.verdict}>
      <span className={`badge ${badge.tone}`}>{badge.label}</span>
      {health.summary !== null && <> {health.summary}</>}
    </p>
  );
}

function UpcomingDays() {
  const session = useSession();
  const query = useQuery(upcomingDaysQueryOptions());
  // Each market's country decides °F or °C (unless the owner chose one unit), and its zone which
  // year it is now: a market day of another year carries its year.
  const markets = useQuery(marketsQueryOptions()).data?.markets;
  const temperatureUnit = useTemperatureUnit();
  if (query.isPending) {
    return (
      <LoadingSkeleton
        label="Loading your next market days…"
        cards={3}
        className="day-cards-loading"
      />
    );
  }
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your next market days"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
        headingLevel={3}
      />
    );
  }
  const days = query.data.data;
  if (days.length === 0) {
    // Out of season (a May-October market in December): say when the next season starts.
    const later = soonestMarketDay(markets ?? [], new Date(query.dataUpdatedAt || Date.now()));
    return (
      <EmptyState
        title="No market days in the next two weeks"
        headingLevel={3}
        action={
          later !== null ? (
            <ButtonLink href={prepListHref(later.market.id, later.date)}>
              Open the prep list for {formatLocalDate(later.date, later)}
            </ButtonLink>
          ) : session.isOwner ? (
            <ButtonLink href="/markets">Check your market schedules</ButtonLink>
          ) : null
        }
      >
        <p>
          {later !== null
            ? `The next market day is ${formatLocalDate(later.date, later)} at ${later.market.name}.`
            : 'Market days come from each market’s weekly schedule. Add a market or a one-off date.'}
        </p>
      </EmptyState>
    );
  }
  return (
    <ul className="card-grid" aria-label="Next market days">
      {days.slice(0, 9).map((day, index) => {
        const rec = RECOMMENDATION[day.recommendation];
        const market = markets?.find((candidate) => candidate.id === day.marketId);
        const when = formatLocalDate(day.date, {
          currentYear: currentYearIn(
            new Date(query.dataUpdatedAt || Date.now()),
            market?.timezone ?? 'UTC',
          ),
        });
        return (
          <li key={day.marketDayId} className="card">
            <div className="section__header">
              <h3 className="card__title">{day.marketName}</h3>
              {/* No list or history, or no prices: no revenue to weigh against the fee, no verdict. */}
              {hasVerdict(day) && <span className={`badge ${rec.tone}`}>{rec.label}</span>}
            </div>
            <p>
              <strong>{when}</strong>
            </p>
            <HolidayCheck
              marketId={day.marketId}
              marketDayId={day.marketDayId}
              closingHoliday={day.closingHoliday ?? null}
            />
            <WeatherLine weather={day.weather} unit={temperatureUnit(market?.countryCode)} />
            {index < DAYS_WITH_LISTS && <DayHealth marketId={day.marketId} date={day.date} />}
            <p>
              Expected sales:{' '}
              {day.basis === 'unpriced' ? (
                <span className="muted">
                  no prices yet (<AppLink href="/products">add them under Products</AppLink>)
                </span>
              ) : day.expectedRevenueMinor === null ? (
                <span className="muted">not enough history yet</span>
              ) : (
                <Money minor={day.expectedRevenueMinor} />
              )}
              {/* Without a booth fee the net is the same number: said once. */}
              {day.netMinor !== null && day.netMinor !== day.expectedRevenueMinor && (
                <span className="muted">
                  {' '}
                  (after booth fee <Money minor={day.netMinor} />)
                </span>
              )}
            </p>
            <AppLink
              href={prepListHref(day.marketId, day.date)}
              className="button button--secondary"
            >
              Open prep list
              <span className="visually-hidden">
                {' '}
                for {day.marketName} on {when}
              </span>
            </AppLink>
          </li>
        );
      })}
    </ul>
  );
}

function Alerts() {
  const queryClient = useQueryClient();
  const query = useQuery(unreadAlertsQueryOptions());
  const markAll = useMutation({
    mutationFn: () =>
      apiFetch({
        path: '/v1/notifications/read-all',
        method: 'POST',
        schema: notificationsMarkedShape,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey }),
  });
  if (query.isPending) return <LoadingSkeleton label="Loading alerts…" lines={2} />;
  if (query.data === undefined) {
    return (
      <ErrorState
        title="We could not load your alerts"
        error={query.error}
        onRetry={() => void query.refetch()}
        headingLevel={3}
      />
    );
  }
  const items = query.data.data;
  if (items.length === 0) {
    return <p className="muted">No new alerts. We will tell you here when an outlook changes.</p>;
  }
  return (
    <>
      <ul className="card-grid" aria-label="New alerts">
        {items.map((item) => (
          <li key={item.id} className="card">
            <h3 className="card__title">{item.title}</h3>
            <p>{item.body}</p>
          </li>
        ))}
      </ul>
      {markAll.isError && (
        <p role="alert" className="field__error">
          {describeWriteError(markAll.error).message}
        </p>
      )}
      <Button
        variant="secondary"
        onClick={() => markAll.mutate()}
        busy={markAll.isPending}
        busyLabel="Marking…"
      >
        Mark all as read
      </Button>
    </>
  );
}

function Freshness({ isOwner }: { isOwner: boolean }) {
  const outlook = useQuery(upcomingDaysQueryOptions());
  const imports = useQuery({ ...recentImportsQueryOptions(), enabled: isOwner });
  // The same queries as the cards' input health: read once, from the cache.
  const lists = useQueries({
    queries: (outlook.data?.data ?? []).slice(0, DAYS_WITH_LISTS).map((day) => ({
      ...prepListQueryOptions(day.marketId, day.date),
      retry: false,
    })),
  });
  const now = new Date(outlook.dataUpdatedAt || Date.now());
  const newest = (times: readonly (string | null | undefined)[]) =>
    times
      .filter((at): at is string => typeof at === 'string')
      .sort()
      .at(-1) ?? null;
  const weatherAt = newest(outlook.data?.data.map((day) => day.weather?.fetchedAt) ?? []);
  const eventsAt = newest(lists.map((list) => list.data?.list.eventsAsOf));
  const lastImport =
    imports.data?.data.find((item) => item.status === 'COMMITTED')?.committedAt ?? null;
  return (
    <dl className="facts">
      <div className="facts__row">
        <dt>Weather</dt>
        <dd>
          {outlook.isPending
            ? 'checking…'
            : outlook.isError
              ? 'unknown (could not load)'
              : weatherAt
                ? `updated ${formatAge(weatherAt, now)}`
                : 'no forecast yet'}
        </dd>
      </div>
      <div className="facts__row">
        <dt>Local events</dt>
        <dd>
          {outlook.isPending || lists.some((list) => list.isPending)
            ? 'checking…'
            : eventsAt
              ? `looked up ${formatAge(eventsAt, now)}`
              : lists.length === 0
                ? 'no market days ahead'
                : 'not looked up yet'}
        </dd>
      </div>
      {isOwner && (
        <div className="facts__row">
          <dt>Sales import</dt>
          <dd>
            {imports.isPending
              ? 'checking…'
              : imports.isError
                ? 'unknown (could not load)'
                : lastImport
                  ? `last import ${formatAge(lastImport, now)}`
                  : 'no CSV imported yet'}
          </dd>
        </div>
      )}
      <div className="facts__row">
        <dt>Square</dt>
        <dd>
          <AppLink href="/settings">See sync status in settings</AppLink>
        </dd>
      </div>
    </dl>
  );
}

function SetupCallout() {
  const markets = useQuery(marketsQueryOptions());
  if (markets.data === undefined || markets.data.markets.length > 0) return null;
  return (
    <div className="notice notice--info" role="status">
      <h2 className="notice__title">Finish setting up</h2>
      <p>Bring in your sales and add your markets to get your first prep list.</p>
      <ButtonLink href="/onboarding">Continue setup</ButtonLink>
    </div>
  );
}

/** The vendor's home: next market days with weather and expected sales, alerts, freshness. */
export function Dashboard() {
  const state = useSession();
  const hasBusiness = state.session?.activeVendorId != null;
  return (
    <>
      <div className="page-header">
        <h1>Dashboard</h1>
        <p className="page-header__lede">
          {state.vendorName
            ? `${state.vendorName}: what is coming up and what needs your attention.`
            : 'What is coming up and what needs your attention.'}
        </p>
      </div>
      {!hasBusiness ? (
        <NoBusiness isPlatformAdmin={state.isPlatformAdmin} />
      ) : (
        <>
          {state.isOwner && <SetupCallout />}
          <section className="section" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">Next market days</h2>
            <UpcomingDays />
          </section>
          <section className="section" aria-labelledby="alerts-title">
            <h2 id="alerts-title">Alerts</h2>
            <Alerts />
          </section>
          <section className="section" aria-labelledby="freshness-title">
            <h2 id="freshness-title">Data freshness</h2>
            <Freshness isOwner={state.isOwner} />
          </section>
          <section className="section" aria-labelledby="markets-title">
            <h2 id="markets-title">Your markets</h2>
            <MarketList />
          </section>
        </>
      )}
    </>
  );
}
