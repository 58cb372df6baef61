'use client';

import {
  MarketDaySchema,
  opensOn,
  type Market,
  type MarketDay,
  type OpeningDates,
} from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../components/button';
import { Field, FormError } from '../../components/field';
import { ApiError } from '../../lib/api-client';
import { formatClockRange, formatLocalDate } from '../../lib/format';
import { apiFetch, describeWriteError, formText } from '../../lib/session';
import { useMarketToday } from '../../lib/use-market-today';
import { addDays, PREP_LIST_DAYS_AHEAD } from '../prep-list/market-day-options';
import { marketDayDependentKeys, marketDaysQueryOptions } from './markets.api';

/**
 * A market day's date and hours: `{ date: 'Sat, Dec 12', hours: '9:00 AM–1:00 PM' }` (hours null for a
 * day stored without times); a date of another year than `currentYear` carries its year.
 */
export function describeMarketDay(
  day: Pick<MarketDay, 'date' | 'opensAt' | 'closesAt'>,
  currentYear?: number,
): { date: string; hours: string | null } {
  return {
    date: formatLocalDate(day.date, currentYear === undefined ? {} : { currentYear }),
    hours: day.opensAt && day.closesAt ? formatClockRange(day.opensAt, day.closesAt) : null,
  };
}

/**
 * What is wrong with a day to add, by field (empty when nothing): a date from today on, both times
 * or neither, closing after opening, and times for a date the schedule gives none (a Wednesday
 * holiday market at a Saturday market, a Saturday out of season): "blank" means the schedule's.
 */
export function newDayErrors(
  day: { date: string; opensAt: string; closesAt: string },
  market: { today: string | null; schedule: readonly OpeningDates[] },
): Record<string, string> {
  const errors: Record<string, string> = {};
  const { date, opensAt, closesAt } = day;
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  if (!validDate) errors.date = 'Choose the date of the market';
  else if (market.today !== null && date < market.today)
    errors.date = 'Choose today or a later date';
  if ((opensAt === '') !== (closesAt === '')) {
    errors[opensAt === '' ? 'opensAt' : 'closesAt'] = 'Give both times, or leave both blank';
  } else if (opensAt !== '' && opensAt >= closesAt) {
    errors.closesAt = 'The market closes after it opens';
  } else if (
    opensAt === '' &&
    validDate &&
    !market.schedule.some((opening) => opensOn(opening, date))
  ) {
    errors.opensAt = 'The schedule has no hours on this date: give the times';
  }
  return errors;
}

/**
 * The owner's changes to the calendar its schedule makes, under a market's card: the next 8 weeks
 * of market days, each to cancel (a storm, a holiday the market skips) or restore, and a one-off
 * day to add (a holiday market). A cancelled day gets no prep list, reminder or check-in; a one-off
 * day gets all three. Times left blank follow the schedule's for that date.
 */
export function MarketDaysEditor({ market }: { market: Market }) {
  const queryClient = useQueryClient();
  const today = useMarketToday(market.timezone);
  const window =
    today === null
      ? { from: '', to: '' }
      : { from: today, to: addDays(today, PREP_LIST_DAYS_AHEAD) };
  const days = useQuery(marketDaysQueryOptions(market.id, window));
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; items: string[] } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const prefix = `market-days-${market.id}`;
  const currentYear = today === null ? undefined : Number(today.slice(0, 4));
  const dateOf = (date: string) =>
    describeMarketDay({ date, opensAt: null, closesAt: null }, currentYear).date;

  const refresh = () =>
    Promise.all(
      marketDayDependentKeys(market.id).map((queryKey) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    );

  const setStatus = async (day: MarketDay, status: MarketDay['status']) => {
    setBusy(day.id);
    setDone(null);
    setFailure(null);
    try {
      await apiFetch({
        path: `/v1/market-days/${day.id}`,
        method: 'PATCH',
        json: { status },
        schema: MarketDaySchema,
      });
      await refresh();
      setDone(
        `${dateOf(day.date)} ${status === 'CANCELLED' ? 'is cancelled' : 'is a market day again'}.`,
      );
    } catch (caught) {
      setFailure(describeWriteError(caught));
    } finally {
      setBusy(null);
    }
  };

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const date = formText(form, 'date');
    const opensAt = formText(form, 'opensAt');
    const closesAt = formText(form, 'closesAt');
    const notes = formText(form, 'notes').trim();
    const next = newDayErrors({ date, opensAt, closesAt }, { today, schedule: market.schedule });
    setErrors(next);
    setDone(null);
    setFailure(null);
    if (Object.keys(next).length > 0) return;
    setBusy('add');
    try {
      await apiFetch({
        path: `/v1/markets/${market.id}/market-days`,
        method: 'POST',
        json: {
          date,
          ...(opensAt !== '' && { opensAt, closesAt }),
          ...(notes !== '' && { notes }),
        },
        schema: MarketDaySchema,
      });
      await refresh();
      setDone(`${dateOf(date)} is added as a market day.`);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) {
        const cancelled = days.data?.find((d) => d.date === date && d.status === 'CANCELLED');
        setErrors({
          date: cancelled
            ? `${dateOf(date)} is cancelled: restore it in the list above`
            : `${dateOf(date)} is already a market day`,
        });
      } else {
        setFailure(describeWriteError(caught));
      }
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="market-days">
      <p className="muted">
        Cancel a day the market does not run, or add a one-off day. A cancelled day gets no prep
        list, reminder or check-in.
      </p>
      <FormError message={failure?.message ?? null} items={failure?.items ?? []} />
      {done !== null && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
      {days.isPending ? (
        <p className="muted">Loading market days…</p>
      ) : days.data === undefined ? (
        <p className="muted">We could not load the market days.</p>
      ) : days.data.length === 0 ? (
        <p className="muted">No market days in the next 8 weeks.</p>
      ) : (
        <ul className="market-days__list" aria-label={`Market days of ${market.name}`}>
          {days.data.map((day) => {
            const { date, hours } = describeMarketDay(day, currentYear);
            return (
              <li key={day.id} className="market-days__item" data-status={day.status}>
                <span>
                  <span className="market-days__date">{date}</span>
                  {hours !== null && <span className="market-days__hours"> · {hours}</span>}
                  {day.notes && <span className="market-days__note"> · {day.notes}</span>}
                  {day.status === 'CANCELLED' && (
                    <span className="badge badge--muted market-days__badge">Cancelled</span>
                  )}
                </span>
                <Button
                  variant="secondary"
                  disabled={busy !== null}
                  onClick={() =>
                    void setStatus(day, day.status === 'CANCELLED' ? 'SCHEDULED' : 'CANCELLED')
                  }
                >
                  {day.status === 'CANCELLED' ? 'Restore day' : 'Cancel day'}
                  <span className="visually-hidden"> {date}</span>
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      <form
        className="form"
        noValidate
        aria-label={`Add a market day to ${market.name}`}
        onSubmit={(event) => void add(event)}
      >
        <div className="form-grid">
          <Field
            id={`${prefix}-date`}
            label="Add a day"
            name="date"
            type="date"
            min={today ?? undefined}
            error={errors.date}
          />
          <Field
            id={`${prefix}-opens`}
            label="Opens"
            name="opensAt"
            type="time"
            hint="Blank: the schedule's hours that day"
            error={errors.opensAt}
          />
          <Field
            id={`${prefix}-closes`}
            label="Closes"
            name="closesAt"
            type="time"
            error={errors.closesAt}
          />
          <Field
            id={`${prefix}-notes`}
            label="Note (optional)"
            name="notes"
            maxLength={200}
            hint="On the day's prep list, e.g. Holiday market"
          />
        </div>
        <Button type="submit" variant="secondary" disabled={busy !== null}>
          Add market day
        </Button>
      </form>
    </div>
  );
}
