'use client';

import type { Market } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

import { AppLink } from '../../components/app-link';
import { formatLocalDate } from '../../lib/format';
import { useMarketToday } from '../../lib/use-market-today';
import { formatScheduleSummary } from '../markets/market-schedule';
import { marketDaysQueryOptions, marketsQueryOptions } from '../markets/markets.api';
import {
  addDays,
  listMarketDays,
  NEXT_MARKET_DAY_SEARCH_DAYS,
  orderShortcuts,
  pickerWindow,
} from './market-day-options';
import { ErrorBlock, EmptyBlock, LoadingBlock } from './states';

/** Which screen the picker opens. */
export type PickerTarget = 'prep-list' | 'check-in';

/**
 * The market day a screen opens by default: the next market day for the prep list; for the check-in
 * the latest market day up to today (the one just packed up), as the API worked it out: a stored or
 * in-season day, never a cancelled or out-of-season one.
 */
export function defaultDate(market: Market, target: PickerTarget): string | null {
  return target === 'prep-list' ? market.nextMarketDate : (market.lastMarketDate ?? null);
}

/** Choose a market and one of its market days; one tap for each market's default day. */
export function MarketDayPicker({ target }: { target: PickerTarget }) {
  const router = useRouter();
  const formId = useId();
  const query = useQuery({ ...marketsQueryOptions(), networkMode: 'always' });
  const [marketId, setMarketId] = useState('');
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const markets = query.data?.markets.filter((market) => market.active) ?? [];
  const defaults = orderShortcuts(
    target,
    markets.map((market) => ({ market, date: defaultDate(market, target) })),
  );
  const chosenMarket = marketId || defaults[0]?.market.id || markets[0]?.id || '';
  const market = markets.find((candidate) => candidate.id === chosenMarket);
  const today = useMarketToday(market?.timezone);
  const span = today === null ? null : pickerWindow(target, today);
  // A market day of another year than the market's current one is written with its year.
  const currentYear = today === null ? undefined : Number(today.slice(0, 4));
  // Past the window too, for the next market day when the window has none (out of season).
  const wide = span && { from: span.from, to: addDays(span.to, NEXT_MARKET_DAY_SEARCH_DAYS) };
  const stored = useQuery({
    ...marketDaysQueryOptions(chosenMarket, wide ?? { from: '', to: '' }),
    enabled: wide !== null && chosenMarket !== '',
  });

  if (query.isPending) return <LoadingBlock label="Loading your markets…" lines={3} />;
  if (query.data === undefined) {
    return (
      <ErrorBlock
        title="We could not load your markets"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  if (markets.length === 0) {
    return (
      <EmptyBlock title="No markets yet">
        <p>Add the markets you sell at, and each market day gets its own prep list and check-in.</p>
      </EmptyBlock>
    );
  }
  const storedDays = stored.data ?? [];
  const offered =
    market && span ? listMarketDays({ schedule: market.schedule, storedDays, ...span }) : [];
  // Newest first for a check-in (the day just packed up), soonest first for a prep list.
  const options = target === 'check-in' ? [...offered].reverse() : offered;
  const later =
    market && span && wide && options.length === 0
      ? (listMarketDays({
          schedule: market.schedule,
          storedDays,
          from: addDays(span.to, 1),
          to: wide.to,
        })[0] ?? null)
      : null;
  const suggested = defaults.find((entry) => entry.market.id === chosenMarket)?.date;
  const chosenDate =
    date || (suggested && options.includes(suggested) ? suggested : (options[0] ?? ''));
  const verb = target === 'prep-list' ? 'Prep list' : 'Check-in';
  const schedule = market ? formatScheduleSummary(market.schedule) : '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(chosenDate)) {
      setError('Choose a market day.');
      return;
    }
    router.push(`/${target}/${chosenMarket}/${chosenDate}`);
  };

  return (
    <div className="picker">
      {defaults.length > 0 && (
        <section aria-labelledby={`${formId}-next`}>
          <h2 id={`${formId}-next`} className="picker__title">
            {target === 'prep-list' ? 'Next market days' : 'Latest market days'}
          </h2>
          <ul className="picker__list">
            {defaults.map(({ market, date: day }) => (
              <li key={market.id}>
                <AppLink className="picker__card" href={`/${target}/${market.id}/${day}`}>
                  <span className="picker__market">{market.name}</span>
                  <span className="picker__date">
                    {verb} for {formatLocalDate(day)}
                  </span>
                </AppLink>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form
        className="picker__form"
        onSubmit={submit}
        aria-labelledby={`${formId}-other`}
        noValidate
      >
        <h2 id={`${formId}-other`} className="picker__title">
          Another day
        </h2>
        <label className="mp-field">
          <span>Market</span>
          <select
            className="mp-input"
            value={chosenMarket}
            onChange={(event) => {
              setMarketId(event.target.value);
              setDate('');
            }}
          >
            {markets.map((market) => (
              <option key={market.id} value={market.id}>
                {market.name}
              </option>
            ))}
          </select>
        </label>
        {today === null ? (
          <LoadingBlock label="Working out the market days…" lines={1} />
        ) : options.length > 0 ? (
          <label className="mp-field">
            <span>Market day</span>
            <select
              className="mp-input"
              value={chosenDate}
              aria-describedby={`${formId}-days`}
              aria-invalid={error !== null}
              onChange={(event) => {
                setDate(event.target.value);
                setError(null);
              }}
            >
              {options.map((day) => (
                <option key={day} value={day}>
                  {formatLocalDate(day, { currentYear })}
                  {day === today ? ' (today)' : ''}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <div className="notice notice--info" role="status">
            {/* One paragraph: the notice lays out its children as blocks. */}
            <p data-testid="picker-no-days">
              {target === 'prep-list'
                ? `${market?.name ?? 'This market'} has no market days in the next 8 weeks.`
                : `${market?.name ?? 'This market'} had no market days in the last 8 weeks.`}
              {later !== null && target === 'prep-list' && (
                <>
                  {' '}
                  Its next market day is{' '}
                  <AppLink href={`/${target}/${chosenMarket}/${later}`}>
                    {formatLocalDate(later, { currentYear })}
                  </AppLink>
                  .
                </>
              )}
            </p>
          </div>
        )}
        <p id={`${formId}-days`} className="muted">
          {schedule === 'No regular schedule'
            ? 'Only its market days are listed: the ones added by hand.'
            : `Only its market days are listed: ${schedule}, plus days added by hand; cancelled days are left out.`}
        </p>
        {error !== null && (
          <p className="mp-field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button">
          Open {verb.toLowerCase()}
        </button>
      </form>
    </div>
  );
}
