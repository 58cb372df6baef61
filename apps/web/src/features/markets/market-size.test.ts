// "How big is this market?" in the market form: what it shows and what it sends. The form is also
// rendered to HTML with a real QueryClient holding the vendor's markets (no browser), so the
// control is checked where it appears: only beside another market, with the stored size selected.
import { MarketCreateBodySchema, MarketUpdateBodySchema, type Market } from '@marketprep/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { MarketForm } from '../../app/(app)/markets/market-form';
import {
  describeExpectedSize,
  shownSizeChoice,
  sizeReferenceOptions,
  sizeReferencesFor,
  sizeScaleOptions,
  toSizeChoice,
  toSizePayload,
} from './market-size';
import { marketsQueryKey, type MarketsResult } from './markets.api';

const RIVERSIDE = '6f1c1f9e-2b7a-4d8e-9a53-0c1d2e3f4a5b';
const LAKEVIEW = '0b5e3f9c-2f59-4f0a-9a1e-6f3f1f9c2a10';
const UPTOWN = '4c1f2c8e-7a0d-4f47-9d0e-2a7b8c9d0e1f';

const base: Market = {
  id: RIVERSIDE,
  name: 'Riverside Saturday Market',
  address: null,
  latitude: 41.8786,
  longitude: -87.6589,
  timezone: 'America/Chicago',
  countryCode: 'US',
  regionCode: 'IL',
  boothFeeMinor: 8500,
  active: true,
  schedule: [{ weekday: 5, opensAt: '08:00', closesAt: '13:00', seasonFrom: null, seasonTo: null }],
  nextMarketDate: '2026-12-05',
  expectedSize: null,
};
const riverside = base;
const lakeview: Market = { ...base, id: LAKEVIEW, name: 'Lakeview Wednesday Evening Market' };
const uptown: Market = {
  ...base,
  id: UPTOWN,
  name: 'Uptown Saturday Market',
  expectedSize: { referenceMarketId: RIVERSIDE, scale: 0.5 },
};
const all = [lakeview, riverside, uptown];

function renderForm(markets: Market[] | undefined, market?: Market): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  if (markets) client.setQueryData<MarketsResult>(marketsQueryKey, { markets, demo: false });
  return renderToStaticMarkup(
    createElement(
      QueryClientProvider,
      { client },
      createElement(MarketForm, market ? { market } : {}),
    ),
  );
}

describe('the market form size payload', () => {
  it('sends a stored size back unchanged, so a booth-fee edit keeps it', () => {
    const references = sizeReferencesFor(all, uptown.id);
    expect(references.map((r) => r.name)).toEqual([lakeview.name, riverside.name]);
    const choice = toSizeChoice(uptown.expectedSize, references);
    expect(choice).toEqual({ scale: '0.5', referenceMarketId: RIVERSIDE });
    const payload = toSizePayload(choice, references);
    expect(payload).toEqual({ expectedSize: { referenceMarketId: RIVERSIDE, scale: 0.5 } });
    const body = MarketUpdateBodySchema.parse({ boothFeeMinor: 9000, ...payload });
    expect(body.expectedSize).toEqual({ referenceMarketId: RIVERSIDE, scale: 0.5 });
  });

  it('sends the size picked, and null for "Not sure" (which clears it)', () => {
    const references = sizeReferencesFor(all, uptown.id);
    expect(toSizePayload({ scale: '1.5', referenceMarketId: LAKEVIEW }, references)).toEqual({
      expectedSize: { referenceMarketId: LAKEVIEW, scale: 1.5 },
    });
    expect(toSizePayload({ scale: '', referenceMarketId: RIVERSIDE }, references)).toEqual({
      expectedSize: null,
    });
    // Every offered size is one the API accepts.
    for (const option of sizeScaleOptions('')) {
      const payload = toSizePayload(
        { scale: option.value, referenceMarketId: LAKEVIEW },
        references,
      );
      expect(MarketCreateBodySchema.shape.expectedSize.parse(payload.expectedSize)).toEqual({
        referenceMarketId: LAKEVIEW,
        scale: Number(option.value),
      });
    }
  });

  it('compares a new market with the first other market until one is picked', () => {
    const references = sizeReferencesFor(all, undefined);
    expect(references).toHaveLength(3);
    // The form's state starts before the list arrives: no reference yet.
    const early = toSizeChoice(undefined, []);
    expect(early).toEqual({ scale: '', referenceMarketId: '' });
    expect(shownSizeChoice({ ...early, scale: '0.5' }, references)).toEqual({
      scale: '0.5',
      referenceMarketId: LAKEVIEW,
    });
    expect(toSizePayload({ ...early, scale: '0.5' }, references)).toEqual({
      expectedSize: { referenceMarketId: LAKEVIEW, scale: 0.5 },
    });
  });

  it('leaves the size out when the vendor has no other market (a PATCH keeps it)', () => {
    expect(sizeReferencesFor([riverside], riverside.id)).toEqual([]);
    expect(toSizePayload({ scale: '0.5', referenceMarketId: LAKEVIEW }, [])).toEqual({});
    expect(MarketUpdateBodySchema.parse({ boothFeeMinor: 1, ...{} })).not.toHaveProperty(
      'expectedSize',
    );
  });

  it('keeps a size set through the API that the selects do not offer', () => {
    expect(sizeScaleOptions('0.6').at(-1)).toEqual({ value: '0.6', label: 'About 0.6 ×' });
    expect(sizeScaleOptions('0.5')).toHaveLength(6);
    const gone = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    expect(sizeReferenceOptions([lakeview], gone).map((r) => r.id)).toEqual([LAKEVIEW, gone]);
    expect(
      toSizePayload({ scale: '0.6', referenceMarketId: gone }, sizeReferencesFor(all, uptown.id)),
    ).toEqual({ expectedSize: { referenceMarketId: gone, scale: 0.6 } });
  });

  it('says the size in words on a market card', () => {
    expect(describeExpectedSize(uptown.expectedSize, all)).toBe(
      'About half of Riverside Saturday Market',
    );
    expect(describeExpectedSize({ referenceMarketId: LAKEVIEW, scale: 0.3 }, all)).toBe(
      'About 0.3 × Lakeview Wednesday Evening Market',
    );
    expect(describeExpectedSize(null, all)).toBeNull();
  });
});

describe('MarketForm "How big is this market?"', () => {
  it('shows the stored size selected, compared with the other markets only', () => {
    const html = renderForm(all, uptown);
    expect(html).toContain('<legend>How big is this market?</legend>');
    expect(html).toContain('Used until this market has its own sales.');
    expect(html).toMatch(/<option value="0.5" selected="">About half of<\/option>/);
    expect(html).toMatch(
      new RegExp(`<option value="${RIVERSIDE}" selected="">Riverside Saturday Market</option>`),
    );
    expect(html).toContain(`<option value="${LAKEVIEW}">Lakeview Wednesday Evening Market`);
    // Not itself.
    expect(html).not.toContain(`<option value="${UPTOWN}"`);
  });

  it('starts a new market at "Not sure", the reference waiting for a size', () => {
    const html = renderForm(all);
    expect(html).toMatch(/<option value="" selected="">Not sure<\/option>/);
    expect(html).toContain('<select disabled="" id="new-market-size-reference"');
  });

  it('is not shown for a vendor whose only market this is, nor before the list arrives', () => {
    expect(renderForm([riverside], riverside)).not.toContain('How big is this market?');
    expect(renderForm(undefined, riverside)).not.toContain('How big is this market?');
    expect(renderForm([])).not.toContain('How big is this market?');
  });
});
