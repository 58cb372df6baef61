/**
 * The business's display settings (the temperature unit): the read every screen showing weather
 * shares, the owner's change, and the hook that turns a market's country into °F or °C.
 */
import {
  VendorSettingsSchema,
  type TemperatureUnitPreference,
  type VendorSettings,
} from '@marketprep/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';

import { fetchApi } from '../../lib/api-client';
import { resolveTemperatureUnit, type TemperatureUnit } from '../../lib/format';
import { apiFetch } from '../../lib/session';
import { marketsQueryOptions } from '../markets/markets.api';

/** Query key of the settings (a change replaces the cached answer). */
export const vendorSettingsQueryKey = ['vendor-settings'] as const;

/** `GET /v1/vendor/settings`; rarely changes, so it is not refetched on every screen. */
export function vendorSettingsQueryOptions({ fetchImpl }: { fetchImpl?: typeof fetch } = {}) {
  return queryOptions({
    queryKey: vendorSettingsQueryKey,
    queryFn: async ({ signal }) =>
      (
        await fetchApi({
          path: '/v1/vendor/settings',
          schema: VendorSettingsSchema,
          signal,
          ...(fetchImpl && { fetchImpl }),
        })
      ).data,
    staleTime: 5 * 60_000,
  });
}

/** `PATCH /v1/vendor/settings` (owners): the new settings as the API stored them. */
export function updateTemperatureUnit(
  temperatureUnit: TemperatureUnitPreference,
): Promise<VendorSettings> {
  return apiFetch({
    path: '/v1/vendor/settings',
    method: 'PATCH',
    json: { temperatureUnit },
    schema: VendorSettingsSchema,
  });
}

/**
 * The unit of a market's temperatures, by its country: the business's choice once the settings
 * are loaded, the country's habit until then (and when they cannot be read).
 */
export function useTemperatureUnit(): (countryCode: string | null | undefined) => TemperatureUnit {
  const preference = useQuery(vendorSettingsQueryOptions()).data?.temperatureUnit;
  return useCallback(
    (countryCode) => resolveTemperatureUnit(preference, countryCode),
    [preference],
  );
}

/**
 * The unit of a market's temperatures by the market's id (its country from the market list), for
 * screens that list market days of several markets.
 */
export function useMarketTemperatureUnit(): (marketId: string) => TemperatureUnit {
  const markets = useQuery(marketsQueryOptions()).data?.markets;
  const unitFor = useTemperatureUnit();
  return useCallback(
    (marketId) => unitFor(markets?.find((market) => market.id === marketId)?.countryCode),
    [markets, unitFor],
  );
}
