'use client';

import type { WeekPlan, WeekPlanProduct } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';

import { Button } from '../../components';
import { ApiError } from '../../lib/api-client';
import {
  EXPECTED_CARRY_NOTE,
  formatCarried,
  formatLocalDate,
  pluralizeUnit,
  toLocalDate,
  weekdayClockParts,
} from '../../lib/format';
import { usePlanFeature } from '../billing/plan-lock';
import { HolidayCheck } from '../markets/holiday-check';
import { InputHealthSummary } from '../prep-list/input-health';
import { ErrorBlock, LoadingBlock } from '../prep-list/states';
import { weekPlanColumns } from './week-plan-columns';
import { weekPlanCsv } from './week-plan-csv';
import { formatMoneyChange, formatRainForecast, rainPlanNote } from './week-plan-rain';
import { weekRevenueWords } from './week-plan-revenue';
import { weekPlanPdfPath, weekPlanQueryOptions } from './week-plan.api';

/** The API's reason when it does not plan the week asked for (400), else null. */
function weekOutOfRange(error: unknown): string | null {
  return error instanceof ApiError && error.status === 400 ? (error.problem?.detail ?? null) : null;
}

function downloadCsv(plan: WeekPlan): void {
  const blob = new Blob([weekPlanCsv(plan)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `week-plan-${plan.from}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

/** What the week's rain would change, in one sentence: products to bring more or less of, takings. */
function rainEffect(plan: WeekPlan): string {
  const wet = plan.products.flatMap((product) =>
    product.days.flatMap((day) => (day.rain ? [{ day, rain: day.rain }] : [])),
  );
  const changed = new Set(
    plan.products
      .filter((product) => product.days.some((day) => day.rain && day.rain.bring !== day.bring))
      .map((product) => product.productId),
  ).size;
  const takings = wet.reduce((sum, { rain }) => sum + rain.revenueDifferenceMinor, 0);
  const rainyProducts = new Set(
    plan.products.filter((p) => p.days.some((d) => d.rain)).map((p) => p.productId),
  ).size;
  const what =
    changed === 0
      ? 'If it comes, bring the same of everything'
      : changed === rainyProducts
        ? `If it comes, ${changed === 1 ? 'the product changes' : `all ${changed} products change`} (below)`
        : `If it comes, ${changed} ${changed === 1 ? 'product changes' : 'products change'} (below); bring the same of the rest`;
  // No product with a price: no takings to speak of, not "±$0.00".
  return weekRevenueWords(plan) === null
    ? `${what}.`
    : `${what}. Expected takings ${formatMoneyChange(takings)} in all.`;
}

/** "Fri 6:00 PM", which a phone may break after the weekday but never inside the time. */
function DecideBy({ instant, timeZone }: { instant: string; timeZone: string }) {
  const { weekday, time } = weekdayClockParts(instant, timeZone);
  return (
    <>
      <span className="week-plan__nowrap">{weekday}</span>{' '}
      <span className="week-plan__nowrap">{time}</span>
    </>
  );
}

function ProductCard({ product, plan }: { product: WeekPlanProduct; plan: WeekPlan }) {
  const zoneOf = new Map(plan.marketDays.map((d) => [d.marketDayId, d.timezone]));
  const facts = [
    product.batchSize > 1 ? `batches of ${product.batchSize}` : null,
    product.capacity
      ? `can make ${product.capacity.units} a ${product.capacity.period === 'week' ? 'week' : 'day'}`
      : null,
  ].filter(Boolean);
  // Only the days where rain changes what to bring: "bring the same" under every product of a
  // rainy week would bury the few that change (the summary above gives the rest in one line).
  const rainy = product.days.filter((day) => day.rain !== null && day.rain.bring !== day.bring);
  const columns = weekPlanColumns(product);
  return (
    <section className="week-plan__product" aria-label={product.productName}>
      <header className="week-plan__product-head">
        <h2>{product.productName}</h2>
        <p className="week-plan__make">
          Make <strong>{product.totalMake}</strong> {pluralizeUnit(product.unit, product.totalMake)}
          {facts.length > 0 && <span className="week-plan__facts"> · {facts.join(' · ')}</span>}
        </p>
      </header>
      {product.cutNote && (
        <p className="week-plan__cut" role="note">
          {product.cutNote}
        </p>
      )}
      {product.days.some((d) => d.preOrdersShort > 0) && (
        <p className="week-plan__cut" role="alert">
          Not enough for every pre-order: raise the capacity or call the customers.
        </p>
      )}
      {/* Focusable so a keyboard can scroll the table sideways on a phone. */}
      <div
        className="week-plan__scroll"
        tabIndex={0}
        role="group"
        aria-label={`${product.productName}, by market day`}
      >
        <table className="week-plan__table">
          <thead>
            <tr>
              <th scope="col">Market day</th>
              <th scope="col">Decide by</th>
              <th scope="col">Make</th>
              {columns.carried && <th scope="col">Carried</th>}
              {columns.preOrders && <th scope="col">Pre-orders</th>}
              <th scope="col">Bring</th>
              {columns.cut && <th scope="col">Cut</th>}
            </tr>
          </thead>
          <tbody>
            {product.days.map((day) => (
              <tr key={day.marketDayId} className={day.frozen ? 'week-plan__row--frozen' : ''}>
                <th scope="row">
                  {day.marketName}
                  <span className="week-plan__date">{formatLocalDate(day.date)}</span>
                </th>
                <td className="week-plan__deadline">
                  <DecideBy
                    instant={day.deadlineAt}
                    timeZone={zoneOf.get(day.marketDayId) ?? 'UTC'}
                  />
                  {day.frozen && <span className="week-plan__frozen">Frozen</span>}
                </td>
                <td className="week-plan__num">
                  <strong>{day.make}</strong>
                </td>
                {columns.carried && <td className="week-plan__num">{formatCarried(day) ?? '–'}</td>}
                {columns.preOrders && <td className="week-plan__num">{day.preOrders || '–'}</td>}
                <td className="week-plan__num">{day.bring}</td>
                {columns.cut && <td className="week-plan__num">{day.cut ? `−${day.cut}` : '–'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rainy.length > 0 && (
        <ul className="week-plan__rain" aria-label={`${product.productName} if it rains`}>
          {rainy.map((day) => (
            <li key={day.marketDayId}>
              <strong>
                {day.marketName}, {formatLocalDate(day.date)}
              </strong>{' '}
              ({day.rain && formatRainForecast(day.rain)}): {rainPlanNote(day, product)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * "This week": what to make (or pick) by each product's deadline for all of the week's market days,
 * with the capacity's cuts explained; prints for the kitchen and downloads as CSV.
 */
export function WeekPlanView() {
  const [from, setFrom] = useState(() =>
    toLocalDate(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone),
  );
  const fromId = useId();
  const exportsLock = usePlanFeature('exports');
  const plan = useQuery(weekPlanQueryOptions(from));
  const data = plan.data;
  // A product with nothing to make, bring or hand over all week (strawberries in December) is
  // named once at the end instead of taking a card of zeros.
  const busy = (product: WeekPlanProduct) =>
    product.days.some(
      (d) =>
        d.make > 0 ||
        d.bring > 0 ||
        d.preOrders > 0 ||
        d.carriedOver > 0 ||
        (d.rain?.bring ?? 0) > 0,
    );
  const planned = data?.products.filter(busy) ?? [];
  const idle = data?.products.filter((product) => !busy(product)) ?? [];
  // Only days with rain forecast get a rain plan; a dry week says nothing about rain.
  const rainDays = data?.marketDays.filter((day) => day.rain !== null) ?? [];
  const revenue = data ? weekRevenueWords(data) : null;
  return (
    <div className="week-plan">
      <div className="page-header">
        <h1>This week</h1>
        <p className="page-header__lede">
          What to make or pick for all your market days together, by each product&apos;s deadline.
        </p>
      </div>
      <div className="week-plan__controls">
        <label htmlFor={fromId}>Week from</label>
        <input
          id={fromId}
          type="date"
          value={from}
          onChange={(event) => event.target.value && setFrom(event.target.value)}
        />
        <Button variant="secondary" onClick={() => window.print()} disabled={!data}>
          Print
        </Button>
        <Button variant="secondary" onClick={() => data && downloadCsv(data)} disabled={!data}>
          Download CSV
        </Button>
        {!exportsLock.locked && (
          <a className="button button--secondary" href={weekPlanPdfPath(from)} download>
            Download PDF
          </a>
        )}
      </div>
      {plan.isPending && <LoadingBlock label="Planning the week" lines={6} />}
      {plan.isError && weekOutOfRange(plan.error) !== null && (
        // A week the API does not plan (typed far away): its sentence names the weeks it does.
        <p className="notice notice--warning" role="alert">
          {weekOutOfRange(plan.error)}
        </p>
      )}
      {plan.isError && weekOutOfRange(plan.error) === null && (
        <ErrorBlock
          title="The week's plan could not be loaded"
          error={plan.error}
          onRetry={() => void plan.refetch()}
          retrying={plan.isFetching}
        />
      )}
      {data && (
        <>
          <p className="week-plan__summary">
            {formatLocalDate(data.from)} – {formatLocalDate(data.to)}: {data.marketDays.length}{' '}
            market {data.marketDays.length === 1 ? 'day' : 'days'}, make {data.totals.make}, bring{' '}
            {data.totals.bring},{' '}
            {revenue === null
              ? 'no prices yet for expected sales (add them under Products).'
              : `expected sales ${revenue}.`}
          </p>
          {data.products.some((p) => p.days.some((day) => day.carriedExpected > 0)) && (
            // Said once for the page: every product kept from day to day shows its "~".
            <p className="week-plan__note">{EXPECTED_CARRY_NOTE}</p>
          )}
          <InputHealthSummary health={data.health} />
          {data.marketDays.map((day) => (
            <HolidayCheck
              key={day.marketDayId}
              marketId={day.marketId}
              marketDayId={day.marketDayId}
              closingHoliday={day.closingHoliday}
              where={`${day.marketName}, ${formatLocalDate(day.date)}`}
            />
          ))}
          {rainDays.length > 0 && (
            <p className="week-plan__rain-summary" role="note">
              Rain forecast:{' '}
              {rainDays
                .map(
                  (day) =>
                    `${day.marketName} ${formatLocalDate(day.date)} (${day.rain ? formatRainForecast(day.rain) : ''})`,
                )
                .join('; ')}
              . {rainEffect(data)}
            </p>
          )}
          {data.products.length === 0 ? (
            <p>No market days in this week. Pick another week or add market days.</p>
          ) : (
            <>
              {planned.map((product) => (
                <ProductCard key={product.productId} product={product} plan={data} />
              ))}
              {idle.length > 0 && (
                <p className="week-plan__idle">
                  Nothing to make or bring this week (out of season, or no sales expected):{' '}
                  {idle.map((product) => product.productName).join(', ')}.
                </p>
              )}
            </>
          )}
        </>
      )}
    </div>
  );
}
