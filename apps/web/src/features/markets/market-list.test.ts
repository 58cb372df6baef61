// Renders the market list to HTML with a real QueryClient whose cache is put in each state, so the
// states a vendor sees (cards, empty, errors, loading) are checked without a browser. Plain
// `createElement` because the unit tier only collects `.test.ts` files.
import type { Market } from '@marketprep/contracts';
import { QueryClient, QueryClientProvider, type QueryState } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { ApiError, NetworkError, ResponseSchemaError } from '../../lib/api-client';
import { MarketList } from './market-list';
import { marketsQueryKey, type MarketsResult } from './markets.api';

const FETCHED_AT = Date.parse('2026-11-28T03:00:00Z'); // Friday evening in Chicago

const greenCity: Market = {
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

function renderWithState(state: Partial<QueryState<MarketsResult, Error>>): string {
  // retryOnMount off: a fresh observer of a failed query would otherwise show it as pending again
  // (refetching); here it should show the settled state the cache was put in.
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, retryOnMount: false } },
  });
  client
    .getQueryCache()
    .build<MarketsResult, Error>(client, { queryKey: marketsQueryKey })
    .setState(state);
  return renderToStaticMarkup(
    createElement(QueryClientProvider, { client }, createElement(MarketList)),
  );
}

const success = (result: MarketsResult) =>
  renderWithState({ status: 'success', data: result, dataUpdatedAt: FETCHED_AT });

const failure = (error: Error) =>
  renderWithState({ status: 'error', error, errorUpdatedAt: FETCHED_AT });

describe('MarketList', () => {
  it('shows each market as a card with schedule, next date, fee and zone', () => {
    const html = success({ markets: [greenCity], demo: false });
    expect(html).toContain('<h2 id="market-6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5b"');
    expect(html).toContain('Green City Market');
    expect(html).toContain('1817 N Clark St, Chicago, IL');
    expect(html).toContain('Saturdays 8:00 AM–1:00 PM');
    expect(html).toContain('<time dateTime="2026-11-28">Sat, Nov 28</time>');
    expect(html).toContain('Tomorrow');
    expect(html).toContain('$45.00');
    expect(html).toContain('Central Time');
    expect(html).toContain('1 market');
    expect(html).not.toContain('Demo data');
  });

  it('uses the time words that came with the answer', () => {
    const html = success({
      markets: [greenCity],
      demo: false,
      times: {
        [greenCity.id]: {
          daysUntil: 'In 3 days',
          zoneName: 'Market Time',
          seasonStartsOn: null,
          currentYear: 2026,
        },
      },
    });
    expect(html).toContain('In 3 days');
    expect(html).toContain('Market Time');
    expect(html).not.toContain('Tomorrow');
  });

  it('marks demo data, paused markets and missing details', () => {
    const html = success({
      markets: [
        { ...greenCity, active: false, address: null, nextMarketDate: null, boothFeeMinor: 0 },
      ],
      demo: true,
    });
    expect(html).toContain('Demo data');
    expect(html).toContain('Paused');
    expect(html).toContain('No address on file');
    expect(html).toContain('Not scheduled');
    expect(html).toContain('None');
  });

  it('shows seasons in the schedule, and when an off-season market starts again', () => {
    const maplewood: Market = {
      ...greenCity,
      id: '7a2d3c4b-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      name: 'Maplewood Sunday Market',
      schedule: [
        { weekday: 6, opensAt: '09:00', closesAt: '14:00', seasonFrom: '04-01', seasonTo: '11-30' },
      ],
      nextMarketDate: null,
    };
    const riverside: Market = {
      ...greenCity,
      schedule: [
        { weekday: 5, opensAt: '07:30', closesAt: '12:30', seasonFrom: '05-01', seasonTo: '10-31' },
        { weekday: 5, opensAt: '09:00', closesAt: '13:00', seasonFrom: '11-01', seasonTo: '04-30' },
      ],
    };
    // FETCHED_AT is Nov 27 in Chicago: Maplewood is still in season (no next day planned yet).
    const november = success({ markets: [maplewood, riverside], demo: false });
    expect(november).toContain('Sundays 9:00 AM–2:00 PM (Apr–Nov)');
    expect(november).toContain('Saturdays 7:30 AM–12:30 PM (May–Oct), 9:00 AM–1:00 PM (Nov–Apr)');
    expect(november).not.toContain('Out of season');
    // The week before Christmas it is out of season.
    const december = renderWithState({
      status: 'success',
      data: { markets: [maplewood, riverside], demo: false },
      dataUpdatedAt: Date.parse('2026-12-19T18:00:00Z'),
    });
    // Its season starts Apr 1; its first market day is that season's first Sunday.
    expect(december).toContain(
      'Out of season · first market day <time dateTime="2027-04-04">Sun, Apr 4, 2027</time>',
    );
    expect(december.match(/Out of season/g)).toHaveLength(1);
  });

  it('survives a time zone the runtime does not know', () => {
    const html = success({
      markets: [{ ...greenCity, timezone: 'Mars/Olympus_Mons' }],
      demo: false,
    });
    expect(html).toContain('Sat, Nov 28');
    expect(html).toContain('Mars/Olympus_Mons');
    expect(html).not.toContain('Tomorrow');
  });

  it('says so when there are no markets yet', () => {
    const html = success({ markets: [], demo: false });
    expect(html).toContain('No markets yet');
    expect(html).toContain('0 markets');
  });

  it('shows a busy skeleton while the first answer is on its way', () => {
    const html = renderWithState({ status: 'pending', fetchStatus: 'fetching' });
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain('Loading your markets');
  });

  it('asks a signed-out vendor to sign in, with a Retry button', () => {
    const html = failure(new ApiError({ path: '/v1/markets', status: 401 }));
    expect(html).toContain('role="alert"');
    expect(html).toContain('Sign in to see your markets');
    expect(html).toMatch(/<button[^>]*>Retry<\/button>/);
  });

  it('explains server, network and contract failures without raw details', () => {
    const cases: [Error, RegExp][] = [
      [new ApiError({ path: '/v1/markets', status: 503 }), /having trouble/],
      [
        new NetworkError({ path: '/v1/markets', cause: new TypeError('fetch failed') }),
        /connection/,
      ],
      [new ResponseSchemaError({ path: '/v1/markets' }), /could not read/],
    ];
    for (const [error, message] of cases) {
      const html = failure(error);
      expect(html).toMatch(message);
      expect(html).not.toContain(error.message);
      expect(html).not.toMatch(/\b503\b|TypeError|\/v1\/markets/);
    }
  });

  it('keeps showing loaded markets when a refresh fails', () => {
    const html = renderWithState({
      status: 'error',
      data: { markets: [greenCity], demo: false },
      dataUpdatedAt: FETCHED_AT,
      error: new NetworkError({ path: '/v1/markets', cause: null }),
    });
    expect(html).toContain('Green City Market');
    expect(html).toContain('Showing the markets we loaded earlier');
  });
});
