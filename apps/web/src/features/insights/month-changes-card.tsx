'use client';

import type { MonthChanges } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';

import { formatMoney } from '../../lib/format';
import { ErrorBlock, LoadingBlock } from '../prep-list/states';
import { MONTH_NAMES } from '../products/product-season';
import { monthChangesQueryOptions } from './insights.api';
import { MoneyLine } from './replay-card';
import './replay-card.css';

const productDays = (n: number) => `${n} product-day${n === 1 ? '' : 's'}`;

/** The month before `month` (`YYYY-MM`). */
function previousMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7)) - 1;
  return index === 0 ? `${year - 1}-12` : `${year}-${String(index).padStart(2, '0')}`;
}

const monthName = (month: string) => MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month;

/**
 * "What MarketPrep changed this month" (docs/replay.md): the month's prep lists against what was
 * brought where a check-in says, else against the rule of thumb only, and the card says which.
 * Early in a month, before any of its market days can be scored, it shows last month's instead
 * (and says so), so the first week of a month is not an empty card.
 */
export function MonthChangesCard() {
  const query = useQuery(monthChangesQueryOptions());
  const current = query.data;
  const nothingYet = current !== undefined && current.total.productDays === 0;
  const earlier = useQuery({
    ...monthChangesQueryOptions(current ? previousMonth(current.month) : undefined),
    enabled: nothingYet,
  });
  const data =
    nothingYet && earlier.data && earlier.data.total.productDays > 0 ? earlier.data : current;
  const month = data ? monthName(data.month) : 'this month';
  const isEarlier = data !== undefined && data !== current;
  return (
    <section
      className="insights__card replay"
      aria-labelledby="month-changes-title"
      data-testid="month-changes-card"
    >
      <h2 id="month-changes-title" className="insights__title">
        What MarketPrep changed in {month}
      </h2>
      <p className="pl-muted">
        {isEarlier && current
          ? `Nothing to score in ${monthName(current.month)} yet, so here is ${month}: its prep lists against what happened, in money with your prices and costs.`
          : "This month's prep lists against what happened, in money with your prices and costs."}
      </p>
      {(query.isPending || (nothingYet && earlier.isPending)) && (
        <LoadingBlock label="Loading this month…" lines={2} />
      )}
      {query.isError && !current && (
        <ErrorBlock
          title="We could not load this month"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      )}
      {data && !earlier.isPending && data.total.productDays === 0 && (
        <p>
          Nothing to score yet: no market day in{' '}
          {nothingYet ? `${monthName(previousMonth(data.month))} or ${month}` : month} has both a
          prep list made before it and its sales or check-in.
        </p>
      )}
      {data && data.total.productDays > 0 && <MonthChangesFigures data={data} over={isEarlier} />}
    </section>
  );
}

/** A scored month (`over` once it has ended): the total, the two comparisons and what is left out. */
function MonthChangesFigures({ data, over }: { data: MonthChanges; over: boolean }) {
  return (
    <>
      <p>
        <strong>{formatMoney(data.total.netMinor, data.currency)}</strong> over {data.marketDays}{' '}
        market day{data.marketDays === 1 ? '' : 's'}
        {over ? '' : ' so far'}
        {data.total.netLowMinor === data.total.netHighMinor
          ? ''
          : ` (${formatMoney(data.total.netLowMinor, data.currency)} to ${formatMoney(data.total.netHighMinor, data.currency)})`}
        .
      </p>
      <dl className="replay__money">
        {data.vsBrought.productDays > 0 && (
          <MoneyLine
            label={`Against what you brought (${productDays(data.vsBrought.productDays)} with a check-in)`}
            money={data.vsBrought}
            currency={data.currency}
          />
        )}
        {data.vsRuleOnly.productDays > 0 && (
          <MoneyLine
            label={`Against your rule of thumb only (${productDays(data.vsRuleOnly.productDays)} without a check-in)`}
            money={data.vsRuleOnly}
            currency={data.currency}
          />
        )}
      </dl>
      <p className="pl-muted replay__note">
        {data.vsRuleOnly.productDays > 0 &&
          `No check-in says what you brought on ${productDays(data.vsRuleOnly.productDays)}: those are compared to your rule of thumb (the last same-weekday sales) only. `}
        {data.soldOutProductDays > 0 &&
          `${productDays(data.soldOutProductDays)} sold out: their true demand is estimated, hence the range. `}
        {data.productsLeftOut.length > 0 &&
          `Left out (no price or cost): ${data.productsLeftOut.join(', ')}.`}
      </p>
    </>
  );
}
