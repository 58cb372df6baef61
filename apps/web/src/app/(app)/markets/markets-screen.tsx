'use client';

import { useQuery } from '@tanstack/react-query';

import { EmptyState } from '../../../components/empty-state';
import { ErrorState } from '../../../components/error-state';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { MarketCard } from '../../../features/markets/market-card';
import { MarketDaysEditor } from '../../../features/markets/market-days-editor';
import { MarketList } from '../../../features/markets/market-list';
import { describeExpectedSize } from '../../../features/markets/market-size';
import { describeMarketTimes } from '../../../features/markets/market-times';
import { marketsQueryOptions } from '../../../features/markets/markets.api';
import '../../../features/markets/markets.css';
import { useSession } from '../../../lib/session';
import { lacksLocation } from '../../../features/markets/market-location';
import { MarketForm } from './market-form';

/**
 * Markets: the list for everyone (schedule with seasons, next market day or when the season
 * starts); owners edit each one under its card, cancel or add its market days, and add new ones.
 */
export function MarketsScreen() {
  const { isOwner } = useSession();
  const query = useQuery(marketsQueryOptions());
  // The moment the data was fetched stands in for "now" (as in MarketList), so rendering stays pure.
  const now = new Date(query.dataUpdatedAt);
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
          <ul className="market-list__items markets-owner-list">
            {query.data.markets.map((market) => (
              <li key={market.id}>
                <MarketCard
                  market={market}
                  times={query.data.times?.[market.id] ?? describeMarketTimes(market, now)}
                  sizeNote={describeExpectedSize(market.expectedSize, query.data.markets)}
                  badge={
                    lacksLocation(market) && (
                      <span className="badge badge--warn">Location missing</span>
                    )
                  }
                >
                  <details className="explainer market-card__edit" open={lacksLocation(market)}>
                    <summary>
                      Edit<span className="visually-hidden"> {market.name}</span>
                    </summary>
                    <MarketForm market={market} />
                  </details>
                  <details className="explainer market-card__edit">
                    <summary>
                      Market days<span className="visually-hidden"> of {market.name}</span>
                    </summary>
                    <MarketDaysEditor market={market} />
                  </details>
                </MarketCard>
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
