'use client';

import { useQuery } from '@tanstack/react-query';

import { describeLoadError } from '../../lib/api-client';
import { MarketCard } from './market-card';
import { describeExpectedSize } from './market-size';
import { describeMarketTimes } from './market-times';
import { marketsQueryOptions } from './markets.api';

const SKELETON_CARDS = 3;

/** Placeholder cards while the first answer is on its way. */
function MarketListSkeleton() {
  return (
    <div className="market-list" aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading your markets…
      </p>
      <ul className="market-list__items" aria-hidden="true">
        {Array.from({ length: SKELETON_CARDS }, (_, index) => (
          <li key={index} className="market-card market-card--skeleton">
            <span className="skeleton skeleton--title" />
            <span className="skeleton skeleton--line" />
            <span className="skeleton skeleton--line skeleton--short" />
            <span className="skeleton skeleton--line skeleton--short" />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A plain-language failure with a way out. */
function LoadErrorPanel({
  error,
  onRetry,
  retrying,
}: {
  error: unknown;
  onRetry: () => void;
  retrying: boolean;
}) {
  const { message, reference } = describeLoadError(error);
  return (
    <section className="notice notice--error" role="alert" aria-labelledby="markets-error-title">
      <h2 id="markets-error-title" className="notice__title">
        We could not load your markets
      </h2>
      <p>{message}</p>
      {reference !== undefined && <p className="notice__reference">Reference: {reference}</p>}
      <button type="button" className="button" onClick={onRetry} disabled={retrying}>
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </section>
  );
}

/** The vendor's markets as cards, with loading, empty, error and demo states. */
export function MarketList() {
  const query = useQuery(marketsQueryOptions());
  const retry = () => {
    void query.refetch();
  };

  // Pending covers the first request and its automatic retries; the error shows once they are spent.
  if (query.isPending) return <MarketListSkeleton />;
  if (query.data === undefined) {
    return <LoadErrorPanel error={query.error} onRetry={retry} retrying={query.isFetching} />;
  }

  const { markets, demo, times } = query.data;
  // The moment the data was fetched stands in for "now" (Today / Tomorrow), so rendering stays pure
  // and a refetch (window focus after staleTime) moves it forward.
  const now = new Date(query.dataUpdatedAt);

  return (
    <div className="market-list" aria-busy={query.isFetching}>
      <div className="market-list__toolbar">
        <p className="market-list__count">
          {markets.length === 1 ? '1 market' : `${markets.length} markets`}
        </p>
        {demo && (
          <span
            className="badge badge--demo"
            title="These markets belong to the built-in demo vendor"
          >
            Demo data
          </span>
        )}
      </div>

      {query.isRefetchError && (
        <p className="notice notice--warning" role="status">
          {describeLoadError(query.error).message} Showing the markets we loaded earlier.{' '}
          <button type="button" className="button button--link" onClick={retry}>
            Retry
          </button>
        </p>
      )}

      {markets.length === 0 ? (
        <section className="empty-state" aria-labelledby="markets-empty-title">
          <h2 id="markets-empty-title" className="empty-state__title">
            No markets yet
          </h2>
          <p>
            Add the markets you sell at, with their days and hours, and MarketPrep will prepare a
            packing list for each market day.
          </p>
        </section>
      ) : (
        <ul className="market-list__items">
          {markets.map((market) => (
            <li key={market.id}>
              <MarketCard
                market={market}
                times={times?.[market.id] ?? describeMarketTimes(market, now)}
                sizeNote={describeExpectedSize(market.expectedSize, markets)}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
