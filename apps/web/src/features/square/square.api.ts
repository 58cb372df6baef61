import { SquareMappingSchema, SquareStatusSchema } from '@marketprep/contracts';
import { useQuery } from '@tanstack/react-query';

import { apiFetch } from '../../lib/session';
import type { SquareMapping, SquareMappingBody } from './square-mapping';

/** Query key of the Square status (connection, sync progress). */
export const squareStatusKey = ['integrations', 'square'] as const;
/** Query key of the Square mapping (locations and items beside markets and products). */
export const squareMappingKey = ['integrations', 'square', 'mapping'] as const;

/** How often the status is read again while a sync runs: progress a vendor can watch. */
export const SYNC_POLL_MS = 2_000;

/** The Square status, read again every {@link SYNC_POLL_MS} while a sync runs. */
export function useSquareStatus() {
  return useQuery({
    queryKey: squareStatusKey,
    queryFn: ({ signal }) =>
      apiFetch({ path: '/v1/integrations/square', schema: SquareStatusSchema, signal }),
    refetchInterval: (q) => (q.state.data?.sync?.running ? SYNC_POLL_MS : false),
  });
}

/** The mapping (asks Square for its locations and catalog): only once connected. */
export function useSquareMapping(enabled: boolean) {
  return useQuery({
    queryKey: squareMappingKey,
    queryFn: ({ signal }) =>
      apiFetch({
        path: '/v1/integrations/square/mapping',
        schema: SquareMappingSchema,
        signal,
      }),
    enabled,
  });
}

/** Saves the whole screen (all or nothing); the API then backfills the mapped history. */
export function saveSquareMapping(body: SquareMappingBody): Promise<SquareMapping> {
  return apiFetch({
    path: '/v1/integrations/square/mapping',
    method: 'PUT',
    json: body,
    schema: SquareMappingSchema,
  });
}
