import type { Market } from '@marketprep/contracts';
import type { ReactNode } from 'react';

import { formatLocalDate, formatMoney } from '../../lib/format';
import { formatScheduleSummary } from './market-schedule';
import type { MarketTimes } from './market-times';

/**
 * One market: where, when it runs (with its seasons), the next market day (or, out of season, the
 * first of the next season), the booth fee, its time zone and the owner's size ("About half of
 * Riverside", see market-size). `times` come with the data (see markets.api), so rendering builds
 * no Intl formatter. `badge` goes beside the name, `children` (an owner's edit form) under the
 * facts.
 */
export function MarketCard({
  market,
  times,
  sizeNote = null,
  badge,
  children,
}: {
  market: Market;
  times: MarketTimes;
  /** The owner's size in words, or null when not given. */
  sizeNote?: string | null;
  badge?: ReactNode;
  children?: ReactNode;
}) {
  const headingId = `market-${market.id}`;
  const { daysUntil, zoneName, seasonStartsOn, currentYear } = times;

  return (
    <article className="market-card" aria-labelledby={headingId}>
      <header className="market-card__header">
        <h2 id={headingId} className="market-card__name">
          {market.name}
        </h2>
        {!market.active && <span className="badge badge--muted">Paused</span>}
        {badge}
      </header>
      <p className="market-card__address">{market.address ?? 'No address on file'}</p>
      <dl className="facts">
        <div className="facts__row">
          <dt>Schedule</dt>
          <dd>{formatScheduleSummary(market.schedule)}</dd>
        </div>
        <div className="facts__row">
          <dt>Next market</dt>
          <dd>
            {market.nextMarketDate !== null ? (
              <>
                <time dateTime={market.nextMarketDate}>
                  {formatLocalDate(market.nextMarketDate)}
                </time>
                {daysUntil !== null && <span className="facts__note"> · {daysUntil}</span>}
              </>
            ) : seasonStartsOn !== null ? (
              <>
                Out of season · first market day{' '}
                <time dateTime={seasonStartsOn}>
                  {formatLocalDate(seasonStartsOn, { currentYear })}
                </time>
              </>
            ) : (
              'Not scheduled'
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Booth fee</dt>
          <dd>{market.boothFeeMinor === 0 ? 'None' : formatMoney(market.boothFeeMinor, 'USD')}</dd>
        </div>
        {sizeNote !== null && (
          <div className="facts__row">
            <dt>Size</dt>
            <dd>{sizeNote}</dd>
          </div>
        )}
        <div className="facts__row">
          <dt>Time zone</dt>
          <dd>
            {zoneName}
            {zoneName !== market.timezone && (
              <span className="facts__note"> ({market.timezone})</span>
            )}
          </dd>
        </div>
      </dl>
      {children}
    </article>
  );
}
