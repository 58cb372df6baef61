'use client';

import type { Market } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

import { AppLink } from '../../components/app-link';
import { formatLocalDate } from '../../lib/format';
import { marketsQueryOptions } from '../markets/markets.api';
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

/** Choose a market and a date; one tap for each market's default day. */
export function MarketDayPicker({ target }: { target: PickerTarget }) {
  const router = useRouter();
  const formId = useId();
  const query = useQuery({ ...marketsQueryOptions(), networkMode: 'always' });
  const [marketId, setMarketId] = useState('');
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);

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
  const markets = query.data.markets.filter((market) => market.active);
  if (markets.length === 0) {
    return (
      <EmptyBlock title="No markets yet">
        <p>Add the markets you sell at, and each market day gets its own prep list and check-in.</p>
      </EmptyBlock>
    );
  }
  const defaults = markets
    .map((market) => ({ market, date: defaultDate(market, target) }))
    .filter((entry): entry is { market: Market; date: string } => entry.date !== null)
    .sort((a, b) => a.date.localeCompare(b.date));
  const chosenMarket = marketId || defaults[0]?.market.id || markets[0]?.id || '';
  const chosenDate = date || defaults.find((entry) => entry.market.id === chosenMarket)?.date || '';
  const verb = target === 'prep-list' ? 'Prep list' : 'Check-in';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(chosenDate)) {
      setError('Choose a date.');
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
        <label className="mp-field">
          <span>Date</span>
          <input
            className="mp-input"
            type="date"
            value={chosenDate}
            aria-invalid={error !== null}
            onChange={(event) => {
              setDate(event.target.value);
              setError(null);
            }}
          />
        </label>
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
