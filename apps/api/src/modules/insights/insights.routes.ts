import {
  ForecastVsActualQuerySchema,
  ForecastVsActualSchema,
  GoNoGoQuerySchema,
  GoNoGoSchema,
  InsightsAccuracyQuerySchema,
  InsightsAccuracySchema,
  MonthChangesQuerySchema,
  MonthChangesSchema,
  ProblemSchema,
  SalesInsightsQuerySchema,
  SalesInsightsSchema,
  WasteInsightsQuerySchema,
  WasteInsightsSchema,
  WeatherEffectsQuerySchema,
  WeatherEffectsSchema,
} from '@marketprep/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../plugins/auth';
import type { InsightsService } from './insights.service';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const staff = { access: { kind: 'tenant', role: 'STAFF' } } as const;
const range =
  '`from`/`to` are market-local dates, both inclusive; `to` defaults to today and `from` to 55 days before `to`; from after to, or more than two years, is a 400.';

/** `/v1/insights/*`: chart series and the go/no-go view. */
export const insightsRoutes: FastifyPluginCallbackZod<{ insights: InsightsService }> = (
  app,
  { insights },
  done,
) => {
  app.get(
    '/v1/insights/sales',
    {
      config: staff,
      schema: {
        summary: 'Sales per market day',
        description: `Units and revenue (minor units) per market day, per product and in total, from the sales data. ${range}`,
        tags: ['insights'],
        querystring: SalesInsightsQuerySchema,
        response: { 200: SalesInsightsSchema, ...problems },
      },
    },
    (request) => insights.sales(requireTenant(request), request.query),
  );

  app.get(
    '/v1/insights/forecast-vs-actual',
    {
      config: staff,
      schema: {
        summary: 'Forecast vs actual for one product at one market',
        description: `Per market day with a prep list or a known outcome: forecast P10/P50/P90, the prep-list quantity, units sold and whether the product sold out (censored demand). ${range}`,
        tags: ['insights'],
        querystring: ForecastVsActualQuerySchema,
        response: { 200: ForecastVsActualSchema, ...problems },
      },
    },
    (request) => insights.forecastVsActual(requireTenant(request), request.query),
  );

  app.get(
    '/v1/insights/waste',
    {
      config: staff,
      schema: {
        summary: 'Waste per market day',
        description: `Per market day with a check-in: units brought, sold, wasted and donated, products sold out and the waste cost (wasted x (unit cost - salvage value)). ${range}`,
        tags: ['insights'],
        querystring: WasteInsightsQuerySchema,
        response: { 200: WasteInsightsSchema, ...problems },
      },
    },
    (request) => insights.waste(requireTenant(request), request.query),
  );

  app.get(
    '/v1/insights/weather-effects',
    {
      config: staff,
      schema: {
        summary: 'Sales on rainy vs dry and hot vs mild days',
        description:
          'Per product: mean units sold on market days with rain (>= 1 mm, or >= 50% chance when no amount is known) vs dry ones, and with a maximum >= 27 °C vs below, with the number of days in each group. Observed weather is preferred over forecasts. Defaults to the last two years.',
        tags: ['insights'],
        querystring: WeatherEffectsQuerySchema,
        response: { 200: WeatherEffectsSchema, ...problems },
      },
    },
    (request) => insights.weatherEffects(requireTenant(request), request.query),
  );

  app.get(
    '/v1/insights/go-no-go',
    {
      config: staff,
      schema: {
        summary: 'Go / no-go per upcoming market day',
        description:
          "For each scheduled market day from today through `days - 1` days ahead (each market in its own time zone): expected revenue (sum of the current prep list's expected revenue, else the mean revenue of the market's last 6 days with sales), minus the booth fee. `skip` when that is <= 0, `go` when expected revenue is at least twice the booth fee, `marginal` between (and when there is nothing to go on). Forecast weather when there is one.",
        tags: ['insights'],
        querystring: GoNoGoQuerySchema,
        response: { 200: GoNoGoSchema, ...problems },
      },
    },
    (request) => insights.goNoGo(requireTenant(request), request.query),
  );
  app.get(
    '/v1/insights/accuracy',
    {
      config: staff,
      schema: {
        summary: 'Forecast accuracy per market (backtest)',
        description:
          "Per market, over the last `days` days through yesterday (7 to 182, default 56): each market day with sales is forecast by a model trained only on the vendor's sales from before it (at least 1 day before, retrained every 28 days), and the most likely number is compared with units sold. Mean absolute miss and bias in units, and the share of days that sold inside the likely range (P10-P90); sell-out days are counted but left out (their demand is unknown). Needs no past prep lists.",
        tags: ['insights'],
        querystring: InsightsAccuracyQuerySchema,
        response: { 200: InsightsAccuracySchema, ...problems },
      },
    },
    (request) => insights.accuracy(requireTenant(request), request.query),
  );

  app.get(
    '/v1/insights/month-changes',
    {
      config: staff,
      schema: {
        summary: 'What MarketPrep changed in a month, in money',
        description:
          "For a calendar month (default this month), each product-day of a past market day with a prep list and an outcome is scored as the replay scores a day (docs/replay.md): the list's quantity against what was brought where a check-in says (`vsBrought`), else against the vendor's rule of thumb on the sales before that day (`vsRuleOnly`); `total` adds the two. Sold-out days are censored demand (at least what sold): the best guess comes from the list's own P10-P90 and the range from that lower bound to the P90. Today's market days count once checked in.",
        tags: ['insights'],
        querystring: MonthChangesQuerySchema,
        response: { 200: MonthChangesSchema, ...problems },
      },
    },
    (request) => insights.monthChanges(requireTenant(request), request.query),
  );
  done();
};
