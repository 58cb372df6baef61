/**
 * Loading, error and empty states of the prep-list, check-in and insights screens: the shared
 * components, plus a way back where a wrong market day got the vendor here.
 */
import type { ReactNode } from 'react';

import { ButtonLink } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingSkeleton } from '../../components/loading-skeleton';
import { notAMarketDayOf } from '../../lib/api-client';
import { formatLocalDate } from '../../lib/format';

/** Where a market day's screen is, and what it is called: `"Prep list"` → "Prep list for Sat, Dec 12". */
export interface MarketDayScreen {
  verb: 'Prep list' | 'Check-in';
  href: (date: string) => string;
  /** The year it is now at the market (a date of another year is written with it); default: here. */
  currentYear?: number;
}

/**
 * Links to the market days either side of a date that is not one (as the API named them), the
 * likelier one first: the next for a prep list, the previous for a check-in (after the market).
 */
export function NearestMarketDays({
  previous,
  next,
  screen,
}: {
  previous: string | null;
  next: string | null;
  screen: MarketDayScreen;
}) {
  const dates = screen.verb === 'Check-in' ? [previous, next] : [next, previous];
  const links = dates.filter((date): date is string => date !== null);
  if (links.length === 0) return null;
  return (
    <ul className="mp-nearest" aria-label="Nearest market days">
      {links.map((date, index) => (
        <li key={date}>
          <ButtonLink href={screen.href(date)} variant={index === 0 ? 'primary' : 'secondary'}>
            {screen.verb} for{' '}
            {formatLocalDate(date, { currentYear: screen.currentYear ?? new Date().getFullYear() })}
          </ButtonLink>
        </li>
      ))}
    </ul>
  );
}

/** A busy placeholder with a spoken label. */
export function LoadingBlock({ label, lines = 4 }: { label: string; lines?: number }) {
  return <LoadingSkeleton label={label} lines={lines} />;
}

/**
 * A failure in plain words, with a retry where trying again can help and, where it helps, a way
 * back; a date that is not a market day also links the nearest market days of `marketDay`'s screen.
 */
export function ErrorBlock({
  title,
  error,
  onRetry,
  retrying = false,
  back,
  marketDay,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
  back?: { href: string; label: string };
  marketDay?: MarketDayScreen;
}) {
  const notAMarketDay = notAMarketDayOf(error);
  return (
    <div className="mp-error">
      <ErrorState
        title={title}
        error={error}
        retrying={retrying}
        {...(onRetry !== undefined && { onRetry })}
      />
      {marketDay && notAMarketDay && (
        <NearestMarketDays
          previous={notAMarketDay.previousMarketDate}
          next={notAMarketDay.nextMarketDate}
          screen={marketDay}
        />
      )}
      {back && (
        <ButtonLink href={back.href} variant="secondary">
          {back.label}
        </ButtonLink>
      )}
    </div>
  );
}

/** Nothing to show yet, and what to do about it. */
export function EmptyBlock({ title, children }: { title: string; children: ReactNode }) {
  return <EmptyState title={title}>{children}</EmptyState>;
}
