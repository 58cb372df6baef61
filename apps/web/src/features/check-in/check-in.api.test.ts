import { describe, expect, it } from 'vitest';

import { ApiError, NetworkError } from '../../lib/api-client';
import { describeCheckInRefusal } from './check-in.api';

const problem = (status: number, detail?: string) =>
  new ApiError({
    path: '/v1/markets/m/check-ins/2026-12-06',
    status,
    problem: {
      type: 'about:blank',
      title: status === 404 ? 'Not found' : 'Conflict',
      status,
      ...(detail === undefined ? {} : { detail }),
    },
  });

describe('describeCheckInRefusal', () => {
  it('gives the API’s reason for a day that is not a market day, or was cancelled', () => {
    const reason = 'Maplewood is closed on Sun, Dec 6: its Sunday market runs Apr 1–Nov 30.';
    expect(describeCheckInRefusal(problem(404, reason))).toEqual({
      title: 'No market that day',
      reason,
      previousMarketDate: null,
      nextMarketDate: null,
    });
    expect(describeCheckInRefusal(problem(409))).toEqual({
      title: 'This market day was cancelled',
      reason: 'There is nothing to check in for a cancelled market day.',
      previousMarketDate: null,
      nextMarketDate: null,
    });
  });

  it('names the nearest market days of a date that is not one', () => {
    const refusal = new ApiError({
      path: '/v1/markets/m/check-ins/2026-12-06',
      status: 404,
      problem: {
        type: 'https://marketprep.app/problems/not-a-market-day',
        title: 'Not found',
        status: 404,
        detail: 'Maplewood is closed on Sun, Dec 6: its Sunday market runs Apr 1–Nov 30; …',
        previousMarketDate: '2026-11-29',
        nextMarketDate: '2027-04-04',
      } as never,
    });
    expect(describeCheckInRefusal(refusal)).toMatchObject({
      title: 'No market that day',
      previousMarketDate: '2026-11-29',
      nextMarketDate: '2027-04-04',
    });
  });

  it('leaves other failures to the generic error state', () => {
    expect(describeCheckInRefusal(problem(500, 'boom'))).toBeNull();
    expect(describeCheckInRefusal(new NetworkError({ path: '/v1', cause: null }))).toBeNull();
  });
});
