'use client';

import type { CheckIn } from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

import { Stepper } from '../../components/stepper';
import { formatLocalDate } from '../../lib/format';
import { marketsQueryOptions } from '../markets/markets.api';
import {
  discardQueuedCheckIn,
  flushOutbox,
  queueCheckIn,
  useCheckInOutbox,
} from '../offline/check-in-outbox';
import { describePending, newSubmissionId } from '../offline/offline-queue';
import { useOnline } from '../offline/use-online';
import { ErrorBlock, EmptyBlock, LoadingBlock } from '../prep-list/states';
import { ButtonLink } from '../../components/button';
import { checkInQueryKey, checkInQueryOptions, describeCheckInRefusal } from './check-in.api';
import {
  isLineWorthSending,
  prefillCheckIn,
  toLineInput,
  validateLine,
  type CheckInDraftLine,
  type LineErrors,
} from './check-in-form';

/** The shared stepper with this form's per-field message under it. */
function CountField({
  label,
  value,
  onChange,
  max,
  error,
  unit,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  max?: number;
  error: string | undefined;
  unit: string;
}) {
  return (
    <div className={error === undefined ? 'ci-count' : 'ci-count ci-count--error'}>
      <Stepper
        label={label}
        value={value}
        onChange={onChange}
        unit={unit}
        {...(max !== undefined && { max })}
      />
      {error !== undefined && <p className="mp-field-error">{error}</p>}
    </div>
  );
}

function LineEditor({
  line,
  errors,
  onChange,
}: {
  line: CheckInDraftLine;
  errors: LineErrors;
  onChange: (patch: Partial<CheckInDraftLine>) => void;
}) {
  const id = useId();
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <li className={`ci-line${hasErrors ? ' ci-line--error' : ''}`} id={`ci-${line.productId}`}>
      <div className="ci-line__head">
        <h3>{line.productName}</h3>
        <p className="pl-muted">
          Brought {line.brought} {line.unit}
          {line.sold !== null && ` · sold ${line.sold}`}
          {line.checkedIn && ' · checked in'}
        </p>
      </div>
      <div className="ci-steppers">
        <CountField
          label="Left over"
          value={line.leftOver}
          max={line.brought}
          onChange={(leftOver) =>
            onChange(leftOver > 0 ? { leftOver, soldOutAt: '' } : { leftOver })
          }
          error={errors.leftOver}
          unit={line.unit}
        />
        <CountField
          label="Wasted"
          value={line.wasted}
          onChange={(wasted) => onChange({ wasted })}
          error={errors.wasted}
          unit={line.unit}
        />
        <CountField
          label="Donated"
          value={line.donated}
          onChange={(donated) => onChange({ donated })}
          error={errors.donated}
          unit={line.unit}
        />
      </div>
      {line.leftOver === 0 && line.brought > 0 && (
        <div className="mp-field ci-soldout">
          <label htmlFor={`${id}-soldout`}>Sold out at (optional)</label>
          <input
            id={`${id}-soldout`}
            className="mp-input"
            type="time"
            value={line.soldOutAt}
            aria-invalid={errors.soldOutAt !== undefined}
            onChange={(event) => onChange({ soldOutAt: event.target.value })}
          />
          {errors.soldOutAt !== undefined && <p className="mp-field-error">{errors.soldOutAt}</p>}
        </div>
      )}
      <details className="ci-more">
        <summary>Brought, sold and rating</summary>
        <div className="ci-more__body">
          <CountField
            label="Brought"
            value={line.brought}
            onChange={(brought) => onChange({ brought })}
            error={errors.brought}
            unit={line.unit}
          />
          <div className="mp-field">
            <label htmlFor={`${id}-sold`}>Sold (blank: from your sales data)</label>
            <input
              id={`${id}-sold`}
              className="mp-input"
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              value={line.sold ?? ''}
              aria-invalid={errors.sold !== undefined}
              onChange={(event) =>
                onChange({ sold: event.target.value === '' ? null : Number(event.target.value) })
              }
            />
            {errors.sold !== undefined && <p className="mp-field-error">{errors.sold}</p>}
          </div>
          <div className="mp-field">
            <label htmlFor={`${id}-rating`}>How well did the quantity fit? (optional)</label>
            <select
              id={`${id}-rating`}
              className="mp-input"
              value={line.rating ?? ''}
              onChange={(event) =>
                onChange({ rating: event.target.value === '' ? null : Number(event.target.value) })
              }
            >
              <option value="">No rating</option>
              <option value="5">5 — just right</option>
              <option value="4">4 — good</option>
              <option value="3">3 — so-so</option>
              <option value="2">2 — poor</option>
              <option value="1">1 — way off</option>
            </select>
          </div>
        </div>
      </details>
    </li>
  );
}

function CheckInForm({ checkIn, marketName }: { checkIn: CheckIn; marketName: string }) {
  const online = useOnline();
  const [lines, setLines] = useState(() => prefillCheckIn(checkIn));
  const [showErrors, setShowErrors] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const errors = lines.map(validateLine);
  const invalid = lines.filter((line, index) => {
    const lineErrors = errors[index] ?? {};
    return isLineWorthSending(line) && Object.keys(lineErrors).length > 0;
  });

  const update = (productId: string, patch: Partial<CheckInDraftLine>) =>
    setLines((current) =>
      current.map((line) => (line.productId === productId ? { ...line, ...patch } : line)),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    const toSend = lines.filter(isLineWorthSending);
    if (invalid.length > 0 || toSend.length === 0) {
      summaryRef.current?.focus();
      return;
    }
    // One id per submission, made here and reused by every retry: the API stores it once.
    const clientSubmissionId = newSubmissionId();
    queueCheckIn({
      clientSubmissionId,
      marketId: checkIn.marketId,
      date: checkIn.date,
      marketName,
      body: { clientSubmissionId, lines: toSend.map(toLineInput) },
      queuedAt: new Date().toISOString(),
    });
  };

  return (
    <form className="ci-form" onSubmit={submit} noValidate>
      <div ref={summaryRef} tabIndex={-1} className="ci-summary">
        {showErrors && invalid.length > 0 && (
          <div className="notice notice--error" role="alert">
            <p>
              Fix {invalid.length === 1 ? '1 product' : `${invalid.length} products`} before saving:
            </p>
            <ul>
              {invalid.map((line) => (
                <li key={line.productId}>
                  <a href={`#ci-${line.productId}`}>{line.productName}</a>
                </li>
              ))}
            </ul>
          </div>
        )}
        {showErrors && invalid.length === 0 && lines.filter(isLineWorthSending).length === 0 && (
          <p className="notice notice--error" role="alert">
            Nothing to save yet: enter what you brought for at least one product.
          </p>
        )}
      </div>
      <ul className="ci-lines">
        {lines.map((line, index) => (
          <LineEditor
            key={line.productId}
            line={line}
            errors={errors[index] ?? {}}
            onChange={(patch) => update(line.productId, patch)}
          />
        ))}
      </ul>
      <div className="ci-submit">
        <button type="submit" className="button ci-submit__button">
          {online ? 'Save check-in' : 'Save check-in (sends when online)'}
        </button>
      </div>
    </form>
  );
}

function OutboxNotice({ marketId, date }: { marketId: string; date: string }) {
  const outbox = useCheckInOutbox();
  const online = useOnline();
  const queryClient = useQueryClient();
  const pending = outbox.items.filter((item) => item.state === 'pending');
  const rejected = outbox.items.filter(
    (item) => item.state === 'rejected' && item.marketId === marketId && item.date === date,
  );
  const lastSent =
    outbox.lastSent?.marketId === marketId && outbox.lastSent.date === date
      ? outbox.lastSent
      : undefined;
  const sentAt = lastSent?.sentAt;

  useEffect(() => {
    if (sentAt !== undefined) {
      void queryClient.invalidateQueries({ queryKey: checkInQueryKey(marketId, date) });
    }
  }, [sentAt, marketId, date, queryClient]);

  return (
    <div className="ci-outbox" role="status" aria-live="polite">
      {pending.length > 0 && (
        <div className="notice notice--warning ci-pending" data-testid="check-in-pending">
          <p>
            <strong>{describePending(pending.length)}</strong>
            {online
              ? ' — sending…'
              : ' — saved on this phone; it is sent as soon as you are back online.'}
          </p>
          {online && (
            <button
              type="button"
              className="button button--link"
              onClick={() => void flushOutbox()}
            >
              Send now
            </button>
          )}
        </div>
      )}
      {rejected.map((item) => (
        <div key={item.clientSubmissionId} className="notice notice--error">
          <p>
            The check-in saved at{' '}
            {new Date(item.queuedAt).toLocaleTimeString('en-US', { timeStyle: 'short' })} was not
            accepted: {item.error}
          </p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => discardQueuedCheckIn(item.clientSubmissionId)}
          >
            Discard it
          </button>
        </div>
      ))}
      {pending.length === 0 && sentAt !== undefined && (
        <p className="notice ci-sent" data-testid="check-in-sent">
          ✓ Check-in sent at {new Date(sentAt).toLocaleTimeString('en-US', { timeStyle: 'short' })}.
          Thank you — the next prep lists learn from it.
        </p>
      )}
    </div>
  );
}

/** The pack-up check-in of one market day: prefilled, quick to adjust, saved even offline. */
export function CheckInView({ marketId, date }: { marketId: string; date: string }) {
  const query = useQuery(checkInQueryOptions(marketId, date));
  const markets = useQuery({ ...marketsQueryOptions(), networkMode: 'always' });
  const marketName =
    markets.data?.markets.find((market) => market.id === marketId)?.name ?? 'Your market';

  const header = (
    <header className="page-header">
      <p className="pl-eyebrow">{marketName}</p>
      <h1>Pack-up check-in, {formatLocalDate(date)}</h1>
      <p className="page-header__lede">
        What is left, wasted and given away — 30 seconds, and tomorrow&apos;s list gets better.
      </p>
    </header>
  );

  if (query.isPending) {
    return (
      <>
        {header}
        <OutboxNotice marketId={marketId} date={date} />
        <LoadingBlock label="Loading the check-in…" />
      </>
    );
  }
  const refusal = query.data === undefined ? describeCheckInRefusal(query.error) : null;
  if (refusal !== null) {
    return (
      <>
        {header}
        <OutboxNotice marketId={marketId} date={date} />
        <EmptyBlock title={refusal.title}>
          <p data-testid="check-in-refusal">{refusal.reason}</p>
        </EmptyBlock>
        <ButtonLink href="/check-in" variant="secondary">
          Choose another market day
        </ButtonLink>
      </>
    );
  }
  if (query.data === undefined) {
    return (
      <>
        {header}
        <OutboxNotice marketId={marketId} date={date} />
        <ErrorBlock
          title="We could not load this check-in"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
          back={{ href: '/check-in', label: 'Choose another market day' }}
        />
      </>
    );
  }
  return (
    <>
      {header}
      <OutboxNotice marketId={marketId} date={date} />
      <p className="ci-links">
        <Link href={`/prep-list/${marketId}/${date}`}>See the prep list of that day</Link>
      </p>
      {query.data.lines.length === 0 ? (
        <EmptyBlock title="No products to check in">
          <p>Add your products first; each one gets a line here after the market.</p>
        </EmptyBlock>
      ) : (
        // Refetched only after a send (staleTime Infinity), so a new key means stored values.
        <CheckInForm key={query.dataUpdatedAt} checkIn={query.data} marketName={marketName} />
      )}
    </>
  );
}
