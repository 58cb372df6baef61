import type { Market } from '@marketprep/contracts';

import { formatLocalDate, formatMoney, formatSchedule } from '../../lib/format';
import type { MarketTimes } from './market-times';

/**
 * One market: where, when it runs, the next market day, the booth fee and its time zone. `times`
 * come with the data (see markets.api), so rendering builds no Intl formatter.
 */
export function MarketCard({ market, times }: { market: Market; times: MarketTimes }) {
  const headingId = `market-${market.id}`;
  const { daysUntil, zoneName } = times;

  return (
    <article className="market-card" aria-labelledby={headingId}>
      <header className="market-card__header">
        <h2 id={headingId} className="market-card__name">
          {market.name}
        </h2>
        {!market.active && <span className="badge badge--muted">Paused</span>}
      </header>
      <p className="market-card__address">{market.address ?? 'No address on file'}</p>
      <dl className="facts">
        <div className="facts__row">
          <dt>Schedule</dt>
          <dd>{formatSchedule(market.schedule)}</dd>
        </div>
        <div className="facts__row">
          <dt>Next market</dt>
          <dd>
            {market.nextMarketDate === null ? (
              'Not scheduled'
            ) : (
              <>
                <time dateTime={market.nextMarketDate}>
                  {formatLocalDate(market.nextMarketDate)}
                </time>
                {daysUntil !== null && <span className="facts__note"> · {daysUntil}</span>}
              </>
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Booth fee</dt>
          <dd>{market.boothFeeMinor === 0 ? 'None' : formatMoney(market.boothFeeMinor, 'USD')}</dd>
        </div>
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
    </article>
  );
}
