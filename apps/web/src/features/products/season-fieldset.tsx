'use client';

import type { Market } from '@marketprep/contracts';

import {
  MONTH_NAMES,
  describeMonthDay,
  toggleExcludedMarket,
  toggleMonth,
  type SeasonDraft,
} from './product-season';

const MODES = [
  {
    mode: 'learned',
    label: 'Learn from my sales',
    hint: 'Packed in the weeks it has sold at each market; left off out of season.',
  },
  { mode: 'always', label: 'All year', hint: 'On every market day’s list.' },
  { mode: 'months', label: 'Only in these months', hint: null },
] as const;

/**
 * The season control of the product form: learned (the default), all year, or only in chosen
 * months, and per market "Not at this market". Controlled: the form keeps the draft and sends it.
 */
export function SeasonFieldset({
  idPrefix,
  productName,
  draft,
  onChange,
  markets,
  error,
}: {
  /** Makes input ids unique when several product forms share a page. */
  idPrefix: string;
  productName: string;
  draft: SeasonDraft;
  onChange: (draft: SeasonDraft) => void;
  /** The vendor's markets, for "Not at this market" (none: the section is left out). */
  markets: readonly Pick<Market, 'id' | 'name'>[];
  /** What to fix in the months ("Pick at least one month"). */
  error?: string | undefined;
}) {
  const monthsErrorId = `${idPrefix}-season-months-error`;
  return (
    <fieldset className="fieldset season">
      <legend>
        Season<span className="visually-hidden"> of {productName}</span>
      </legend>
      <div className="season__modes">
        {MODES.map((option) => {
          const id = `${idPrefix}-season-${option.mode}`;
          return (
            <label key={option.mode} className="season__mode" htmlFor={id}>
              <input
                id={id}
                type="radio"
                name={`${idPrefix}-season-mode`}
                value={option.mode}
                checked={draft.mode === option.mode}
                onChange={() => onChange({ ...draft, mode: option.mode })}
                aria-describedby={option.hint ? `${id}-hint` : undefined}
              />
              <span className="season__mode-text">
                <span className="season__mode-label">{option.label}</span>
                {option.hint && (
                  <span id={`${id}-hint`} className="field__hint">
                    {option.hint}
                  </span>
                )}
              </span>
            </label>
          );
        })}
      </div>
      {draft.mode === 'months' && (
        <fieldset
          className="season__months"
          aria-describedby={error ? monthsErrorId : undefined}
          aria-invalid={error ? true : undefined}
        >
          <legend className="season__sublegend">In season in</legend>
          <div className="season__month-grid">
            {MONTH_NAMES.map((name, index) => {
              const month = index + 1;
              return (
                <label key={name} className="month-toggle">
                  <input
                    type="checkbox"
                    className="month-toggle__input"
                    checked={draft.months.includes(month)}
                    onChange={() => onChange(toggleMonth(draft, month))}
                    aria-label={name}
                  />
                  <span className="month-toggle__text" aria-hidden="true">
                    {name.slice(0, 3)}
                  </span>
                </label>
              );
            })}
          </div>
          {draft.ranges.length > 0 && (
            <p className="muted small">
              Also in season{' '}
              {draft.ranges
                .map((range) => `${describeMonthDay(range.from)} to ${describeMonthDay(range.to)}`)
                .join(', ')}{' '}
              (set through the API; kept as they are).
            </p>
          )}
          {error && (
            <span id={monthsErrorId} className="field__error">
              {error}
            </span>
          )}
        </fieldset>
      )}
      {markets.length > 0 && (
        <fieldset className="season__markets">
          <legend className="season__sublegend">Markets</legend>
          {markets.map((market) => {
            const id = `${idPrefix}-not-at-${market.id}`;
            return (
              <label key={market.id} className="checkbox" htmlFor={id}>
                <input
                  id={id}
                  type="checkbox"
                  checked={draft.excludedMarkets.includes(market.id)}
                  onChange={() => onChange(toggleExcludedMarket(draft, market.id))}
                />
                <span>Not at {market.name}</span>
              </label>
            );
          })}
        </fieldset>
      )}
    </fieldset>
  );
}
