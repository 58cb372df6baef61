import type { Market } from '@marketprep/contracts';

import {
  describeDaysUntil,
  formatLocalDate,
  formatMoney,
  formatSchedule,
  formatTimeZoneName,
  isValidTimeZone,
} from '../../lib/format';

/** One market: where, when it runs, the next market day, the booth fee and its time zone. */
export function MarketCard({ market, now }: { market: Market; now: Date }) {
  const headingId = `market-${market.id}`;
  const knownZone = isValidTimeZone(market.timezone);
  const daysUntil =
    market.nextMarketDate !== null && knownZone
      ? describeDaysUntil(market.nextMarketDate, now, market.timezone)
      : null;
  const zoneName = formatTimeZoneName(market.timezone, now);

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
