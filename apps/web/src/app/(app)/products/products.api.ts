import { ProductListSchema } from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';

import { apiFetch } from '../../../lib/session';
import { productsKey } from './economics-form';

/** Active products by name (first 200; a stall rarely has more). */
export function productsQueryOptions() {
  return queryOptions({
    queryKey: [...productsKey, 'active'],
    queryFn: ({ signal }) =>
      apiFetch({ path: '/v1/products?active=true&limit=200', schema: ProductListSchema, signal }),
  });
}
