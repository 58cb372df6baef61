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
    const reason =
      '2026-12-06 is not a market day of Maplewood: out of season (its Sunday market runs Apr 1–Nov 30).';
    expect(describeCheckInRefusal(problem(404, reason))).toEqual({
      title: 'No market that day',
      reason,
    });
    expect(describeCheckInRefusal(problem(409))).toEqual({
      title: 'This market day was cancelled',
      reason: 'There is nothing to check in for a cancelled market day.',
    });
  });

  it('leaves other failures to the generic error state', () => {
    expect(describeCheckInRefusal(problem(500, 'boom'))).toBeNull();
    expect(describeCheckInRefusal(new NetworkError({ path: '/v1', cause: null }))).toBeNull();
  });
});
