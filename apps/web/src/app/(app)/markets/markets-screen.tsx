'use client';

import { useQuery } from '@tanstack/react-query';

import { EmptyState } from '../../../components/empty-state';
import { ErrorState } from '../../../components/error-state';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { MarketList } from '../../../features/markets/market-list';
import { marketsQueryOptions } from '../../../features/markets/markets.api';
import { useSession } from '../../../lib/session';
import { lacksLocation, MarketForm } from './market-form';

/** Markets: the list for everyone; owners edit each one and add new ones. */
export function MarketsScreen() {
  const { isOwner } = useSession();
  const query = useQuery(marketsQueryOptions());
  return (
    <>
      <div className="page-header">
        <h1>Markets</h1>
        <p className="page-header__lede">
          Where you sell, when each market runs and what it costs. The location and time zone decide
          the weather and the calendar of each market day.
        </p>
      </div>
      {!isOwner ? (
        <MarketList />
      ) : query.isPending ? (
        <LoadingSkeleton label="Loading your markets…" cards={2} />
      ) : query.data === undefined ? (
        <ErrorState
          title="We could not load your markets"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <>
          {query.data.markets.length === 0 && (
            <EmptyState title="No markets yet">
              <p>Add the markets you sell at below; importing a sales CSV also creates them.</p>
            </EmptyState>
          )}
          <ul className="card-grid card-grid--wide">
            {query.data.markets.map((market) => (
              <li key={market.id} className="card">
                <div className="section__header">
                  <h2 className="card__title">{market.name}</h2>
                  {lacksLocation(market) && (
                    <span className="badge badge--warn">Location missing</span>
                  )}
                </div>
                <details className="explainer" open={lacksLocation(market)}>
                  <summary>
                    Edit<span className="visually-hidden"> {market.name}</span>
                  </summary>
                  <MarketForm market={market} />
                </details>
              </li>
            ))}
          </ul>
          <section className="section" aria-labelledby="add-market-title">
            <h2 id="add-market-title">Add a market</h2>
            <MarketForm />
          </section>
        </>
      )}
    </>
  );
}
