'use client';

import { MarketDaySchema } from '@marketprep/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { Button } from '../../components/button';
import { apiFetch, describeWriteError } from '../../lib/session';
import { marketDayDependentKeys } from './markets.api';

/**
 * A market day on a holiday most markets do not open (Christmas Day): the schedule makes it a
 * market day and the forecast plans it as one, so the vendor is asked to check, and can cancel it
 * here (any member may, as on the API; a cancelled day leaves the prep lists, the week's plan and
 * its alerts). On the dashboard's card, the day's prep list and the week's plan.
 */
export function HolidayCheck({
  marketId,
  marketDayId,
  closingHoliday,
  where,
}: {
  marketId: string;
  marketDayId: string;
  /** "Christmas Day", or null on any other day (then nothing shows). */
  closingHoliday: string | null;
  /** Which market day, where the page has several ("Riverside Saturday Market, Sat, Dec 25"). */
  where?: string;
}) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () =>
      apiFetch({
        path: `/v1/market-days/${marketDayId}`,
        method: 'PATCH',
        json: { status: 'CANCELLED' },
        schema: MarketDaySchema,
      }),
    onSuccess: () =>
      Promise.all(
        marketDayDependentKeys(marketId).map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
  if (closingHoliday === null) return null;
  return (
    <div
      className="notice notice--warning notice--stacked"
      role="status"
      data-testid="closing-holiday"
    >
      <p>
        <strong>{closingHoliday}</strong>
        {where !== undefined && ` (${where})`}: most markets are closed. Check that this one opens
        before you bake for it.
      </p>
      <Button
        variant="secondary"
        onClick={() => cancel.mutate()}
        busy={cancel.isPending}
        busyLabel="Cancelling…"
      >
        Closed: cancel this day
      </Button>
      {cancel.isError && (
        <p role="alert" className="field__error">
          {describeWriteError(cancel.error).message}
        </p>
      )}
    </div>
  );
}
