'use client';

import type { CheckIn, CheckInLine } from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

import { Stepper } from '../../components/stepper';
import { currentYearIn, formatLocalDate, formatQuantity, pluralizeUnit } from '../../lib/format';
import { marketsQueryOptions } from '../markets/markets.api';
import {
  discardQueuedCheckIn,
  flushOutbox,
  queueCheckIn,
  useCheckInOutbox,
} from '../offline/check-in-outbox';
import { describePending, newSubmissionId } from '../offline/offline-queue';
import { useOnline } from '../offline/use-online';
import { CheckInPreOrders, preOrderedByProduct, usePickups } from './check-in-pre-orders';
import { ErrorBlock, EmptyBlock, LoadingBlock, NearestMarketDays } from '../prep-list/states';
import { ButtonLink } from '../../components/button';
import { CheckInSchema } from '@marketprep/contracts';
import { fetchApi } from '../../lib/api-client';
import {
  checkInPath,
  checkInQueryKey,
  checkInQueryOptions,
  describeCheckInRefusal,
} from './check-in.api';
import {
  applyLinePatch,
  describePrefill,
  findConflicts,
  isLineChanged,
  prefillCheckIn,
  prefillLine,
  selectLinesToSend,
  toLineInput,
  validateLine,
  type CheckInDraftLine,
  type LineErrors,
} from './check-in-form';
import { useLeaveWarning } from './use-leave-warning';
import './check-in.css';

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
        unit={pluralizeUnit(unit, value)}
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
  preOrdered = 0,
}: {
  line: CheckInDraftLine;
  errors: LineErrors;
  onChange: (patch: Partial<CheckInDraftLine>) => void;
  /** Units of the day's pre-orders (picked up: counted in sold). */
  preOrdered?: number;
}) {
  const id = useId();
  const hasErrors = Object.keys(errors).length > 0;
  const hiddenError = errors.brought !== undefined || errors.sold !== undefined;
  const prefilled = describePrefill(line);
  return (
    <li className={`ci-line${hasErrors ? ' ci-line--error' : ''}`} id={`ci-${line.productId}`}>
      <div className="ci-line__head">
        <h3>{line.productName}</h3>
        <p className="pl-muted">
          {line.broughtKnown
            ? `Brought ${formatQuantity(line.brought, line.unit)}`
            : `Brought: not recorded (sold + left over = ${formatQuantity(line.brought, line.unit)})`}
          {line.sold !== null && ` · sold ${line.sold}`}
          {prefilled.sold !== undefined && ` (${prefilled.sold})`}
          {line.checkedIn && ' · checked in'}
          {preOrdered > 0 && ` · ${preOrdered} pre-ordered (count them in sold)`}
        </p>
        {line.sold !== null && line.sold < preOrdered && (
          <p className="pl-muted">
            {preOrdered} were pre-ordered: if they were picked up, sold is at least {preOrdered}.
          </p>
        )}
      </div>
      <div className="ci-steppers">
        <CountField
          label="Left over"
          value={line.leftOver}
          {...(line.broughtKnown && { max: line.brought })}
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
          {prefilled.soldOutAt !== undefined && (
            <p className="pl-muted ci-prefill">{prefilled.soldOutAt}</p>
          )}
          {errors.soldOutAt !== undefined && <p className="mp-field-error">{errors.soldOutAt}</p>}
        </div>
      )}
      <details
        className="ci-more"
        // An error on a field inside opens it and keeps it open: a message is never hidden in a
        // closed section.
        {...(hiddenError && { open: true })}
        onToggle={(event) => {
          if (hiddenError && !event.currentTarget.open) event.currentTarget.open = true;
        }}
      >
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

/**
 * The confirmation where the person is (in the Save bar, which is always on screen), with the
 * way on: the prep list of the market's next market day.
 */
function SentHere({
  marketId,
  date,
  nextMarketDate,
  timeZone,
}: {
  marketId: string;
  date: string;
  nextMarketDate: string | null;
  /** The market's zone: a next market day in another year than now there says its year. */
  timeZone: string;
}) {
  const outbox = useCheckInOutbox();
  const lastSent =
    outbox.lastSent?.marketId === marketId && outbox.lastSent.date === date
      ? outbox.lastSent
      : undefined;
  if (lastSent === undefined || outbox.items.some((item) => item.state === 'pending')) return null;
  return (
    <p className="ci-sent-here" data-testid="check-in-sent-here">
      ✓ Sent at {new Date(lastSent.sentAt).toLocaleTimeString('en-US', { timeStyle: 'short' })}.
      {/* The market's next day may be this very day (checked in the same evening): only a later one. */}
      {nextMarketDate !== null && nextMarketDate > date && (
        <>
          {' '}
          <Link href={`/prep-list/${marketId}/${nextMarketDate}`}>
            Next market day:{' '}
            {formatLocalDate(nextMarketDate, {
              currentYear: currentYearIn(new Date(lastSent.sentAt), timeZone),
            })}{' '}
            — prep list
          </Link>
        </>
      )}
    </p>
  );
}

function CheckInForm({
  checkIn,
  marketName,
  nextMarketDate,
  onCheckingChange,
}: {
  checkIn: CheckIn;
  marketName: string;
  nextMarketDate: string | null;
  /** Told while a Save is being checked against the server, before it is queued. */
  onCheckingChange: (checking: boolean) => void;
}) {
  const online = useOnline();
  // What the form was loaded from: a save sends only lines that differ from it, and a line
  // whose server copy moved on since is a conflict.
  const [loaded, setLoaded] = useState(checkIn);
  const [loadedLines, setLoadedLines] = useState(() => prefillCheckIn(checkIn));
  const [lines, setLines] = useState(loadedLines);
  const [showErrors, setShowErrors] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [queued, setQueued] = useState(false);
  const [checking, setChecking] = useState(false);
  const [conflicts, setConflicts] = useState<CheckInLine[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const pickups = usePickups(checkIn.marketId, checkIn.date);
  const preOrdered = preOrderedByProduct(pickups);
  const errors = new Map(lines.map((line) => [line.productId, validateLine(line)]));
  const toSend = selectLinesToSend(lines, loadedLines);
  const invalid = toSend.filter((line) => Object.keys(errors.get(line.productId) ?? {}).length > 0);
  const loadedById = new Map(loadedLines.map((line) => [line.productId, line]));
  const dirty =
    !queued &&
    lines.some((line) => {
      const before = loadedById.get(line.productId);
      return before !== undefined && isLineChanged(line, before);
    });
  useLeaveWarning(dirty);
  useEffect(() => onCheckingChange(checking), [checking, onCheckingChange]);

  // After a refused save the summary is brought into view (it sits above the products).
  useEffect(() => {
    if (attempt === 0) return;
    summaryRef.current?.scrollIntoView({ block: 'start' });
    summaryRef.current?.focus({ preventScroll: true });
  }, [attempt]);

  const update = (productId: string, patch: Partial<CheckInDraftLine>) =>
    setLines((current) =>
      current.map((line) => (line.productId === productId ? applyLinePatch(line, patch) : line)),
    );

  const queue = (send: CheckInDraftLine[]) => {
    // One id per submission, made here and reused by every retry: the API stores it once.
    const clientSubmissionId = newSubmissionId();
    setQueued(true);
    setConflicts([]);
    queueCheckIn({
      clientSubmissionId,
      marketId: checkIn.marketId,
      date: checkIn.date,
      marketName,
      body: { clientSubmissionId, lines: send.map(toLineInput) },
      queuedAt: new Date().toISOString(),
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (invalid.length > 0 || toSend.length === 0) {
      setAttempt((count) => count + 1);
      return;
    }
    if (online) {
      // Another phone may have saved some of these products since this form was loaded.
      setChecking(true);
      try {
        const current = await fetchApi({
          path: checkInPath(checkIn.marketId, checkIn.date),
          schema: CheckInSchema,
        });
        const found = findConflicts(
          toSend.map((line) => line.productId),
          loaded,
          current.data,
        );
        if (found.length > 0) {
          setConflicts(found);
          setAttempt((count) => count + 1);
          return;
        }
      } catch {
        // Not reachable after all: the outbox keeps the save and sends it later.
      } finally {
        setChecking(false);
      }
    }
    queue(toSend);
  };

  /** Takes the server's values for the conflicting products; the person's other edits stay. */
  const useTheirs = () => {
    const theirs = new Map(
      conflicts.map((line) => [line.productId, prefillLine(line, checkIn.timezone)]),
    );
    const replaced = new Map(conflicts.map((line) => [line.productId, line]));
    setLoaded((current) => ({
      ...current,
      lines: current.lines.map((line) => replaced.get(line.productId) ?? line),
    }));
    setLoadedLines((current) => current.map((line) => theirs.get(line.productId) ?? line));
    setLines((current) => current.map((line) => theirs.get(line.productId) ?? line));
    setConflicts([]);
  };

  return (
    <form className="ci-form" onSubmit={(event) => void submit(event)} noValidate>
      <div ref={summaryRef} tabIndex={-1} className="ci-summary">
        {conflicts.length > 0 && (
          <div className="notice notice--warning" role="alert" data-testid="check-in-conflict">
            <p>
              Changed on another phone since you opened this check-in:{' '}
              {conflicts.map((line) => line.productName).join(', ')}.
            </p>
            <ul>
              {conflicts.map((line) => (
                <li key={line.productId}>
                  {line.productName}: saved there as left over {line.leftOver ?? '—'}, wasted{' '}
                  {line.wasted ?? '—'}, donated {line.donated ?? '—'}; yours: left over{' '}
                  {lines.find((mine) => mine.productId === line.productId)?.leftOver ?? '—'}
                </li>
              ))}
            </ul>
            <div className="ci-conflict__actions">
              <button type="button" className="button" onClick={() => queue(toSend)}>
                Save mine over theirs
              </button>
              <button type="button" className="button button--secondary" onClick={useTheirs}>
                Keep theirs
              </button>
            </div>
          </div>
        )}
        {showErrors && invalid.length > 0 && (
          <div className="notice notice--error" role="alert">
            <p>
              Fix {invalid.length === 1 ? '1 product' : `${invalid.length} products`} before saving:
            </p>
            <ul>
              {invalid.map((line) => (
                <li key={line.productId}>
                  <a href={`#ci-${line.productId}`}>{line.productName}</a>:{' '}
                  {Object.values(errors.get(line.productId) ?? {}).join(' ')}
                </li>
              ))}
            </ul>
          </div>
        )}
        {showErrors && invalid.length === 0 && toSend.length === 0 && (
          <p className="notice notice--error" role="alert">
            Nothing to save yet: enter what was left over, sold or brought for at least one product.
          </p>
        )}
      </div>
      <CheckInPreOrders date={checkIn.date} pickups={pickups} products={lines} />
      <ul className="ci-lines">
        {lines.map((line) => (
          <LineEditor
            key={line.productId}
            line={line}
            errors={errors.get(line.productId) ?? {}}
            onChange={(patch) => update(line.productId, patch)}
            preOrdered={preOrdered.get(line.productId) ?? 0}
          />
        ))}
      </ul>
      <div className="ci-submit">
        <SentHere
          marketId={checkIn.marketId}
          date={checkIn.date}
          nextMarketDate={nextMarketDate}
          timeZone={checkIn.timezone}
        />
        <button type="submit" className="button ci-submit__button" disabled={checking}>
          {online ? 'Save check-in' : 'Save check-in (sends when online)'}
        </button>
      </div>
    </form>
  );
}

function OutboxNotice({
  marketId,
  date,
  saving = false,
}: {
  marketId: string;
  date: string;
  /** A new Save is under way: the last one's "sent" would read as this one's. */
  saving?: boolean;
}) {
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
      {pending.length === 0 && !saving && sentAt !== undefined && (
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
  const [saving, setSaving] = useState(false);
  const market = markets.data?.markets.find((candidate) => candidate.id === marketId);
  const marketName = market?.name ?? 'Your market';

  // A date of another year than the market's current one is written with its year.
  const currentYear = currentYearIn(
    new Date(query.dataUpdatedAt || Date.now()),
    market?.timezone ?? 'UTC',
  );
  const header = (
    <header className="page-header">
      <p className="pl-eyebrow">{marketName}</p>
      <h1>Pack-up check-in, {formatLocalDate(date, { currentYear })}</h1>
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
        <div className="ci-refusal">
          <EmptyBlock title={refusal.title}>
            <p data-testid="check-in-refusal">{refusal.reason}</p>
          </EmptyBlock>
          <NearestMarketDays
            previous={refusal.previousMarketDate}
            next={refusal.nextMarketDate}
            screen={{
              verb: 'Check-in',
              href: (day) => `/check-in/${marketId}/${day}`,
              currentYear,
            }}
          />
          <div className="mp-actions">
            <ButtonLink href="/check-in" variant="secondary">
              Choose another market day
            </ButtonLink>
          </div>
        </div>
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
  if (!query.data.checkInOpen) {
    // The API's rule (the day has not come yet where the market is): no form that Save would refuse.
    return (
      <>
        {header}
        <div className="ci-refusal">
          <EmptyBlock title="This market day is still ahead">
            <p data-testid="check-in-not-yet">
              Check in after the market on{' '}
              <span className="ci-nowrap">{formatLocalDate(date, { currentYear })}</span>.
            </p>
          </EmptyBlock>
          <div className="mp-actions">
            <ButtonLink href={`/prep-list/${marketId}/${date}`}>
              Prep list for {formatLocalDate(date, { currentYear })}
            </ButtonLink>
            <ButtonLink href="/check-in" variant="secondary">
              Choose another market day
            </ButtonLink>
          </div>
        </div>
      </>
    );
  }
  return (
    <>
      {header}
      <OutboxNotice marketId={marketId} date={date} saving={saving} />
      <p className="ci-links">
        <Link href={`/prep-list/${marketId}/${date}`}>See the prep list of that day</Link>
      </p>
      {query.data.lines.length === 0 ? (
        <EmptyBlock title="No products to check in">
          <p>Add your products first; each one gets a line here after the market.</p>
        </EmptyBlock>
      ) : (
        // Refetched only after a send (staleTime Infinity), so a new key means stored values.
        <CheckInForm
          key={query.dataUpdatedAt}
          checkIn={query.data}
          marketName={marketName}
          nextMarketDate={market?.nextMarketDate ?? null}
          onCheckingChange={setSaving}
        />
      )}
    </>
  );
}
