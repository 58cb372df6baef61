/**
 * Prep lists over the API: the read (answered from the service worker's copy when offline, which
 * it marks with `x-marketprep-cached-at`), the hand-set quantity, the export links, and the product
 * categories the filter needs.
 */
import { PrepListSchema, ProductListSchema, type PrepList } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { fetchApi } from '../../lib/api-client';
import { apiFetch } from '../../lib/session';

/** The header the service worker adds to an answer it served from its offline copy. */
export const CACHED_AT_HEADER = 'x-marketprep-cached-at';

/** A prep list and, when it came from the offline copy, when that copy was stored. */
export interface PrepListResult {
  list: PrepList;
  cachedAt: string | null;
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

/**
 * Query options of one prep list. `networkMode: 'always'`: offline, the request still goes out so
 * the service worker can answer it from its copy (TanStack Query would otherwise pause it).
 */
export function prepListQueryOptions(marketId: string, date: string) {
  return queryOptions({
    queryKey: prepListQueryKey(marketId, date),
    networkMode: 'always',
    queryFn: async ({ signal }): Promise<PrepListResult> => {
      const { data, headers } = await fetchApi({
        path: prepListPath(marketId, date),
        schema: PrepListSchema,
        signal,
      });
      return { list: data, cachedAt: headers.get(CACHED_AT_HEADER) };
    },
  });
}

/** Product id to category (null when none), for the category filter. */
export function productCategoriesQueryOptions() {
  return queryOptions({
    queryKey: ['products', 'categories'] as const,
    networkMode: 'always',
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }): Promise<Map<string, string | null>> => {
      const { data } = await fetchApi({
        path: '/v1/products?limit=200',
        schema: ProductListSchema,
        signal,
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
    schema: PrepListSchema,
  });
}
