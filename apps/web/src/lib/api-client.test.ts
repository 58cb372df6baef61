import { MarketListSchema } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

import { fetchMarkets } from '../features/markets/markets.api';
import {
  ApiError,
  canRetryHelp,
  describeLoadError,
  fetchApi,
  MAX_QUERY_RETRIES,
  NetworkError,
  notAMarketDayOf,
  ResponseSchemaError,
  shouldRetryQuery,
} from './api-client';

const market = {
  id: '6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5b',
  name: 'Green City Market',
  address: '1817 N Clark St, Chicago, IL',
  latitude: 41.9145,
  longitude: -87.6344,
  timezone: 'America/Chicago',
  countryCode: 'US',
  regionCode: 'IL',
  boothFeeMinor: 4500,
  active: true,
  schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00' }],
  nextMarketDate: '2026-11-28',
};

/** A stand-in for the network: answers every request with `response` and records the calls. */
function answerWith(response: () => Response) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    calls.push({ url: input instanceof Request ? input.url : String(input), init });
    return Promise.resolve(response());
  };
  return { fetchImpl, calls };
}

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });

describe('fetchApi', () => {
  it('returns the parsed body of a 2xx answer and asks for JSON on the same origin', async () => {
    const { fetchImpl, calls } = answerWith(() => json({ data: [market] }));
    const result = await fetchApi({ path: '/v1/markets', schema: MarketListSchema, fetchImpl });
    expect(result.status).toBe(200);
    expect(result.data.data[0]?.name).toBe('Green City Market');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/v1/markets');
    expect(calls[0]?.init?.credentials).toBe('same-origin');
  });

  it('turns a problem+json answer into an ApiError carrying the problem', async () => {
    const { fetchImpl } = answerWith(() =>
      json(
        { type: 'about:blank', title: 'Unauthorized', status: 401, requestId: 'req-1' },
        { status: 401, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    const error = await fetchApi({
      path: '/v1/markets',
      schema: MarketListSchema,
      fetchImpl,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).problem?.requestId).toBe('req-1');
  });

  it('keeps the status of an error answer that is not JSON', async () => {
    const { fetchImpl } = answerWith(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    const error = await fetchApi({
      path: '/v1/markets',
      schema: MarketListSchema,
      fetchImpl,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).problem).toBeUndefined();
  });

  it('rejects a 2xx body that breaks the contract with a ResponseSchemaError', async () => {
    const { fetchImpl } = answerWith(() => json({ data: [{ ...market, boothFeeMinor: -1 }] }));
    const error = await fetchApi({
      path: '/v1/markets',
      schema: MarketListSchema,
      fetchImpl,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseSchemaError);
    expect((error as ResponseSchemaError).issues[0]?.path).toEqual(['data', 0, 'boothFeeMinor']);
  });

  it('rejects a 2xx body that is not JSON with a ResponseSchemaError', async () => {
    const { fetchImpl } = answerWith(() => new Response('<!doctype html>', { status: 200 }));
    await expect(
      fetchApi({ path: '/v1/markets', schema: MarketListSchema, fetchImpl }),
    ).rejects.toBeInstanceOf(ResponseSchemaError);
  });

  it('reports a request that got no answer as a NetworkError', async () => {
    const fetchImpl: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    await expect(
      fetchApi({ path: '/v1/markets', schema: MarketListSchema, fetchImpl }),
    ).rejects.toBeInstanceOf(NetworkError);
  });

  it('lets an abort through untouched', async () => {
    const fetchImpl: typeof fetch = () =>
      Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
    const error = await fetchApi({
      path: '/v1/markets',
      schema: MarketListSchema,
      fetchImpl,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });
});

describe('fetchMarkets', () => {
  it('returns the markets and notices the demo header', async () => {
    const demo = answerWith(() =>
      json({ data: [market] }, { headers: { 'x-marketprep-demo': '1' } }),
    );
    await expect(fetchMarkets({ fetchImpl: demo.fetchImpl })).resolves.toMatchObject({
      markets: [{ name: 'Green City Market' }],
      demo: true,
      // Worked out on arrival, so rendering needs no Intl formatter.
      times: { [market.id]: { zoneName: 'Central Time' } },
    });

    const real = answerWith(() => json({ data: [] }));
    await expect(fetchMarkets({ fetchImpl: real.fetchImpl })).resolves.toEqual({
      markets: [],
      demo: false,
      times: {},
    });
  });
});

describe('shouldRetryQuery', () => {
  const path = '/v1/markets';

  it('retries answers that may heal: no answer, 5xx, 408, 429', () => {
    expect(shouldRetryQuery(0, new NetworkError({ path, cause: new TypeError('x') }))).toBe(true);
    expect(shouldRetryQuery(0, new ApiError({ path, status: 503 }))).toBe(true);
    expect(shouldRetryQuery(1, new ApiError({ path, status: 500 }))).toBe(true);
    expect(shouldRetryQuery(0, new ApiError({ path, status: 408 }))).toBe(true);
    expect(shouldRetryQuery(0, new ApiError({ path, status: 429 }))).toBe(true);
  });

  it('never retries a client error or a broken contract', () => {
    for (const status of [400, 401, 403, 404, 422]) {
      expect(shouldRetryQuery(0, new ApiError({ path, status }))).toBe(false);
    }
    expect(shouldRetryQuery(0, new ResponseSchemaError({ path }))).toBe(false);
  });

  it('stops after the last retry', () => {
    expect(shouldRetryQuery(MAX_QUERY_RETRIES, new ApiError({ path, status: 503 }))).toBe(false);
  });
});

describe('describeLoadError', () => {
  const path = '/v1/markets';

  it('asks a signed-out vendor to sign in', () => {
    const description = describeLoadError(new ApiError({ path, status: 401 }));
    expect(description.kind).toBe('signed-out');
    expect(description.message).toMatch(/sign in/i);
  });

  it('gives the request id of a server failure as a reference, never the server’s words', () => {
    const description = describeLoadError(
      new ApiError({
        path,
        status: 500,
        problem: {
          type: 'about:blank',
          title: 'TypeError: x is undefined',
          status: 500,
          requestId: 'req-9',
        },
      }),
    );
    expect(description).toMatchObject({ kind: 'unavailable', reference: 'req-9' });
    expect(description.message).not.toMatch(/TypeError|500/);
  });

  it('tells offline, unreadable and unknown failures apart', () => {
    expect(describeLoadError(new NetworkError({ path, cause: null })).kind).toBe('offline');
    expect(describeLoadError(new ResponseSchemaError({ path })).kind).toBe('unreadable');
    expect(describeLoadError(new Error('boom'))).toEqual({
      kind: 'unknown',
      message: 'Something went wrong on our side. Please try again.',
    });
  });
});

describe('notAMarketDayOf', () => {
  const path = '/v1/markets/m/prep-lists/2026-12-08';
  const refusal = (extra: Record<string, unknown>) =>
    new ApiError({
      path,
      status: 404,
      problem: {
        type: 'https://marketprep.app/problems/not-a-market-day',
        title: 'Not found',
        status: 404,
        detail: 'Riverside is closed on Tuesdays; its next market day is Sat, Dec 12.',
        ...extra,
      },
    });

  it('reads the reason and the nearest market days, and shows the reason without a retry', () => {
    const error = refusal({ previousMarketDate: '2026-12-05', nextMarketDate: '2026-12-12' });
    expect(notAMarketDayOf(error)).toEqual({
      reason: 'Riverside is closed on Tuesdays; its next market day is Sat, Dec 12.',
      previousMarketDate: '2026-12-05',
      nextMarketDate: '2026-12-12',
    });
    expect(describeLoadError(error)).toEqual({
      kind: 'not-a-market-day',
      message: 'Riverside is closed on Tuesdays; its next market day is Sat, Dec 12.',
    });
    expect(canRetryHelp(error)).toBe(false);
  });

  it('ignores other 404s and malformed dates', () => {
    expect(notAMarketDayOf(new ApiError({ path, status: 404 }))).toBeNull();
    expect(describeLoadError(new ApiError({ path, status: 404 })).kind).toBe('not-found');
    expect(notAMarketDayOf(refusal({ nextMarketDate: 'soon' }))?.nextMarketDate).toBeNull();
    expect(canRetryHelp(new ApiError({ path, status: 503 }))).toBe(true);
  });
});
