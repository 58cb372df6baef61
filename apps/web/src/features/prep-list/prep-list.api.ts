/**
 * Prep lists over the API: the read (answered from the service worker's copy when offline, which
 * it marks with `x-marketprep-cached-at`), the hand-set quantity, the export links, and the product
 * categories the filter needs.
 */
import type { PrepList } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';
import { prepListShape, productListShape } from '../../lib/api-shapes';
import { apiFetch } from '../../lib/session';
import { formatInstant } from './format-instant';
import { withPricedDefaults } from './pricing';
import { withSeasonDefaults } from './season';

/** The header the service worker adds to an answer it served from its offline copy. */
export const CACHED_AT_HEADER = 'x-marketprep-cached-at';

/** When the parts of a prep list are from, as the vendor reads them (in the market's zone). */
export interface PrepListTimes {
  /** The list itself (the offline copy's time when it came from there). */
  list: string;
  generated: string;
  sales: string;
  weather: string;
  events: string;
}

/** A prep list, when it came from the offline copy that copy's time, and its times in words. */
export interface PrepListResult {
  list: PrepList;
  cachedAt: string | null;
  times: PrepListTimes;
}

/**
 * The times of a list in words. Done once when a list arrives, not on every render: the server
 * does it for the list it renders, so the page hydrates without building an Intl formatter (the
 * first one costs a phone tens of milliseconds), and the browser does it for later answers.
 */
export function prepListResult(answer: PrepList, cachedAt: string | null): PrepListResult {
  const list = withPricedDefaults(withSeasonDefaults(answer));
  const zone = list.timezone;
  return {
    list,
    cachedAt,
    times: {
      list: formatInstant(cachedAt ?? list.generatedAt, zone),
      generated: formatInstant(list.generatedAt, zone),
      sales: formatInstant(list.salesAsOf, zone),
      weather: formatInstant(list.weatherAsOf, zone),
      events: formatInstant(list.eventsAsOf, zone),
    },
  };
}

/** `/v1/markets/:marketId/prep-lists/:date`. */
export function prepListPath(marketId: string, date: string): string {
  return `/v1/markets/${encodeURIComponent(marketId)}/prep-lists/${encodeURIComponent(date)}`;
}

/** The CSV and PDF download links of a prep list. */
export function exportLinks(marketId: string, date: string): { csv: string; pdf: string } {
  const base = prepListPath(marketId, date);
  return { csv: `${base}/export.csv`, pdf: `${base}/export.pdf` };
}

/** Query key of one prep list. */
export function prepListQueryKey(marketId: string, date: string) {
  return ['prep-list', marketId, date] as const;
}

/** The API path of the product list the category filter reads. */
export const PRODUCT_CATEGORIES_PATH = '/v1/products?limit=200';

/**
 * Query options of one prep list. `networkMode: 'always'`: offline, the request still goes out so
 * the service worker can answer it from its copy (TanStack Query would otherwise pause it). The
 * page prefetches it on the server with `fetchImpl: serverFetch`.
 */
export function prepListQueryOptions(
  marketId: string,
  date: string,
  { fetchImpl }: { fetchImpl?: typeof fetch } = {},
) {
  return queryOptions({
    queryKey: prepListQueryKey(marketId, date),
    networkMode: 'always',
    queryFn: async ({ signal }): Promise<PrepListResult> => {
      const { data, headers } = await fetchApi({
        path: prepListPath(marketId, date),
        schema: prepListShape,
        signal,
        ...(fetchImpl && { fetchImpl }),
      });
      return prepListResult(data, headers.get(CACHED_AT_HEADER));
    },
  });
}

/** Product id to category (null when none), for the category filter. */
export function productCategoriesQueryOptions({ fetchImpl }: { fetchImpl?: typeof fetch } = {}) {
  return queryOptions({
    queryKey: ['products', 'categories'] as const,
    networkMode: 'always',
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }): Promise<Map<string, string | null>> => {
      const { data } = await fetchApi({
        path: PRODUCT_CATEGORIES_PATH,
        schema: productListShape,
        signal,
        ...(fetchImpl && { fetchImpl }),
      });
      return new Map(data.data.map((product) => [product.id, product.category]));
    },
  });
}

/** Sets (a number) or clears (`null`) the quantity a vendor chose by hand; answers the new list. */
export async function setOverrideQuantity({
  marketId,
  date,
  productId,
  overrideQuantity,
}: {
  marketId: string;
  date: string;
  productId: string;
  overrideQuantity: number | null;
}): Promise<PrepList> {
  return apiFetch({
    method: 'PATCH',
    path: `${prepListPath(marketId, date)}/lines/${encodeURIComponent(productId)}`,
    json: { overrideQuantity },
    schema: prepListShape,
  });
}
