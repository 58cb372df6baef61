/** The insights reads (sales, forecast vs actual, waste, weather, go/no-go, forecast accuracy). */
import {
  ForecastVsActualSchema,
  GoNoGoSchema,
  InsightsAccuracySchema,
  MonthChangesSchema,
  ProductListSchema,
  SalesInsightsSchema,
  WasteInsightsSchema,
  WeatherEffectsSchema,
} from '@marketprep/contracts';
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';

import { fetchApi } from '../../lib/api-client';

/** The range and market an insights screen looks at. */
export interface InsightsScope {
  marketId: string;
  from: string;
  to: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function read<T>(key: readonly unknown[], path: string, schema: z.ZodType<T>) {
  return queryOptions({
    queryKey: ['insights', ...key],
    queryFn: async ({ signal }) => (await fetchApi({ path, schema, signal })).data,
  });
}

/** `GET /v1/insights/sales`. */
export const salesQueryOptions = ({ marketId, from, to }: InsightsScope) =>
  read(
    ['sales', marketId, from, to],
    `/v1/insights/sales${query({ marketId, from, to })}`,
    SalesInsightsSchema,
  );

/** `GET /v1/insights/waste`. */
export const wasteQueryOptions = ({ marketId, from, to }: InsightsScope) =>
  read(
    ['waste', marketId, from, to],
    `/v1/insights/waste${query({ marketId, from, to })}`,
    WasteInsightsSchema,
  );

/** `GET /v1/insights/weather-effects` (its own default range: the last two years). */
export const weatherQueryOptions = ({ marketId }: { marketId: string }) =>
  read(
    ['weather', marketId],
    `/v1/insights/weather-effects${query({ marketId })}`,
    WeatherEffectsSchema,
  );

/** `GET /v1/insights/forecast-vs-actual` of one product at one market. */
export const forecastQueryOptions = (scope: InsightsScope & { productId: string }) =>
  read(
    ['forecast', scope.marketId, scope.productId, scope.from, scope.to],
    `/v1/insights/forecast-vs-actual${query({ ...scope })}`,
    ForecastVsActualSchema,
  );

/** `GET /v1/insights/go-no-go` for the next `days` days. */
export const goNoGoQueryOptions = (days: number) =>
  read(['go-no-go', days], `/v1/insights/go-no-go${query({ days })}`, GoNoGoSchema);

/** `GET /v1/insights/accuracy`: the forecast backtested over the last `days` days. */
export const accuracyQueryOptions = ({ marketId, days }: { marketId: string; days: number }) =>
  queryOptions({
    ...read(
      ['accuracy', marketId, days],
      `/v1/insights/accuracy${query({ marketId, days })}`,
      InsightsAccuracySchema,
    ),
    // A backtest trains the model a few times: the answer stays good until new sales arrive.
    staleTime: 10 * 60_000,
  });

/**
 * `GET /v1/insights/month-changes` of `month` (`YYYY-MM`), or of this month when absent (the API
 * decides the month at the market).
 */
export const monthChangesQueryOptions = (month?: string) =>
  read(
    ['month-changes', month ?? 'current'],
    `/v1/insights/month-changes${query({ month })}`,
    MonthChangesSchema,
  );

/** Active products, for the forecast-vs-actual product choice. */
export const productsQueryOptions = () =>
  read(['products'], '/v1/products?active=true&limit=200', ProductListSchema);

/** The date `days` days before `date` (`YYYY-MM-DD`, calendar arithmetic in UTC). */
export function daysBefore(date: string, days: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day) - days * 86_400_000).toISOString().slice(0, 10);
}
