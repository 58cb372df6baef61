'use client';

import type { GoNoGo, InsightsAccuracy } from '@marketprep/contracts';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';

import { formatLocalDate, formatMoney, formatTemperature, toLocalDate } from '../../lib/format';
import { marketsQueryOptions } from '../markets/markets.api';
import { useMarketTemperatureUnit } from '../vendor-settings/vendor-settings.api';
import { ErrorBlock, LoadingBlock } from '../prep-list/states';
import { formatRatioPercent } from './chart-math';
import { ForecastChart, HorizontalBarChart, StackedBarChart } from './charts';
import { chooseDefaultMarket } from './default-market';
import { hasVerdict } from './go-no-go';
import {
  accuracyQueryOptions,
  daysBefore,
  forecastQueryOptions,
  goNoGoQueryOptions,
  productsQueryOptions,
  salesQueryOptions,
  wasteQueryOptions,
  weatherQueryOptions,
} from './insights.api';
import { MonthChangesCard } from './month-changes-card';
import { ReplayCard } from './replay-card';
import { MIN_WEATHER_DAYS, rainEffectRows } from './weather-rows';

const RANGES = [
  { weeks: 4, label: 'Last 4 weeks' },
  { weeks: 8, label: 'Last 8 weeks' },
  { weeks: 13, label: 'Last 3 months' },
  { weeks: 26, label: 'Last 6 months' },
] as const;

const shortDay = (date: string) => formatLocalDate(date).replace(/^\w+, /, '');

/** A titled card that shows its query's loading, error and empty states. */
function Section<T>({
  title,
  lede,
  query,
  isEmpty,
  empty,
  children,
  controls,
}: {
  title: string;
  lede?: string;
  query: UseQueryResult<T>;
  isEmpty: (data: T) => boolean;
  empty: ReactNode;
  children: (data: T) => ReactNode;
  controls?: ReactNode;
}) {
  const id = useId();
  let body: ReactNode;
  if (query.isPending) body = <LoadingBlock label={`Loading ${title.toLowerCase()}…`} lines={3} />;
  else if (query.data === undefined)
    body = (
      <ErrorBlock
        title={`We could not load ${title.toLowerCase()}`}
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  else if (isEmpty(query.data)) body = <div className="insights__empty">{empty}</div>;
  else body = children(query.data);
  return (
    <section className="insights__card" aria-labelledby={id}>
      <h2 id={id} className="insights__title">
        {title}
      </h2>
      {lede !== undefined && <p className="pl-muted">{lede}</p>}
      {controls}
      {body}
    </section>
  );
}

const CALL_LABELS: Record<GoNoGo['data'][number]['recommendation'], string> = {
  go: 'Go',
  marginal: 'Marginal',
  skip: 'Skip',
};

/** One card per upcoming market day (wraps at any width: nothing to scroll or clip). */
function GoNoGoList({ data }: { data: GoNoGo }) {
  const temperatureUnit = useMarketTemperatureUnit();
  return (
    <ul className="gng" aria-label="Upcoming market days">
      {data.data.map((day) => (
        <li key={day.marketDayId} className="gng__day">
          <div className="gng__head">
            <h3 className="gng__date">
              {formatLocalDate(day.date)}
              <span className="gng__market">{day.marketName}</span>
            </h3>
            {hasVerdict(day) && (
              <span className={`gng__call gng__call--${day.recommendation}`}>
                {CALL_LABELS[day.recommendation]}
              </span>
            )}
          </div>
          <dl className="gng__figures">
            <div>
              <dt>Expected revenue</dt>
              <dd>
                {day.expectedRevenueMinor === null ? '—' : formatMoney(day.expectedRevenueMinor)}
                {day.basis === 'history' && <span className="gng__note"> (past days)</span>}
                {day.basis === 'unpriced' && <span className="gng__note"> (no prices yet)</span>}
              </dd>
            </div>
            <div>
              <dt>Booth fee</dt>
              <dd>{formatMoney(day.boothFeeMinor)}</dd>
            </div>
            <div>
              <dt>Net</dt>
              <dd>{day.netMinor === null ? '—' : formatMoney(day.netMinor)}</dd>
            </div>
            <div className="gng__weather">
              <dt>Weather</dt>
              <dd>
                {day.weather === null
                  ? '—'
                  : [
                      day.weather.summary,
                      day.weather.tempMaxC === null
                        ? null
                        : formatTemperature(day.weather.tempMaxC, temperatureUnit(day.marketId)),
                      // precipProb is a fraction (0.25 = a 25% chance), as the contract says.
                      day.weather.precipProb === null
                        ? null
                        : `${Math.round(day.weather.precipProb * 100)}% chance of rain`,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
              </dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  );
}

/** Charts of sales, accuracy, waste and weather, and the go/no-go table across markets. */
export function InsightsView() {
  const markets = useQuery(marketsQueryOptions());
  const [marketId, setMarketId] = useState('');
  const [weeks, setWeeks] = useState<number>(8);
  const [productId, setProductId] = useState('');
  const [today] = useState(() =>
    toLocalDate(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone),
  );
  const from = daysBefore(today, weeks * 7 - 1);
  const scope = { marketId, from, to: today };
  const marketList = markets.data?.markets ?? [];
  // Not simply the first market: one out of season today has nothing new to show.
  const forecastMarketId = marketId || chooseDefaultMarket(marketList, new Date())?.id || '';

  const sales = useQuery(salesQueryOptions(scope));
  const waste = useQuery(wasteQueryOptions(scope));
  const weather = useQuery(weatherQueryOptions({ marketId }));
  const goNoGo = useQuery(goNoGoQueryOptions(14));
  const accuracy = useQuery(accuracyQueryOptions({ marketId, days: weeks * 7 }));
  const products = useQuery(productsQueryOptions());
  const productList = products.data?.data ?? [];
  const chosenProductId = productId || productList[0]?.id || '';
  const forecast = useQuery({
    ...forecastQueryOptions({ ...scope, marketId: forecastMarketId, productId: chosenProductId }),
    enabled: forecastMarketId !== '' && chosenProductId !== '',
  });
  const productName = productList.find((product) => product.id === chosenProductId)?.name ?? '';
  const forecastMarketName =
    marketList.find((market) => market.id === forecastMarketId)?.name ?? 'the market';

  return (
    <div className="insights">
      <header className="page-header">
        <h1>Insights</h1>
        <p className="page-header__lede">
          How your market days went, how close the lists came, and which markets are worth it.
        </p>
      </header>

      <div className="pl-toolbar" role="group" aria-label="What to show">
        <label className="mp-field">
          <span>Market</span>
          <select
            className="mp-input"
            value={marketId}
            onChange={(event) => setMarketId(event.target.value)}
          >
            <option value="">All markets</option>
            {marketList.map((market) => (
              <option key={market.id} value={market.id}>
                {market.name}
              </option>
            ))}
          </select>
        </label>
        <label className="mp-field">
          <span>Period</span>
          <select
            className="mp-input"
            value={weeks}
            onChange={(event) => setWeeks(Number(event.target.value))}
          >
            {RANGES.map((range) => (
              <option key={range.weeks} value={range.weeks}>
                {range.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div className="insights__grid">
        <MonthChangesCard />

        <ReplayCard />

        <Section
          title="Go / no-go, next 2 weeks"
          lede="Expected revenue minus the booth fee. Go: at least twice the fee; skip: the fee eats it."
          query={goNoGo}
          isEmpty={(data) => data.data.length === 0}
          empty={<p>No market days scheduled in the next two weeks.</p>}
        >
          {(data) => <GoNoGoList data={data} />}
        </Section>

        <Section
          title="Sales per market day"
          query={sales}
          isEmpty={(data) => data.data.length === 0}
          empty={<p>No sales in this period yet. Connect Square or import a CSV.</p>}
        >
          {(data) => {
            const label = (day: (typeof data.data)[number]) =>
              marketId ? shortDay(day.date) : `${shortDay(day.date)} ${initials(day.marketName)}`;
            // Sales imported without prices: a revenue chart of zeros says nothing; units do.
            if (data.data.every((day) => day.revenueMinor === 0)) {
              return (
                <>
                  <p className="pl-muted">Your sales have no prices yet: units sold instead.</p>
                  <StackedBarChart
                    title="Units sold per market day"
                    description={`Units sold on ${data.data.length} market days from ${formatLocalDate(data.from)} to ${formatLocalDate(data.to)}; the most was ${Math.max(...data.data.map((day) => day.units)).toLocaleString('en-US')}.`}
                    columns="Market day"
                    series={[{ label: 'Units', className: 'chart__fill--primary' }]}
                    format={(value) => Math.round(value).toLocaleString('en-US')}
                    minStep={1}
                    bars={data.data.map((day) => ({ label: label(day), values: [day.units] }))}
                  />
                </>
              );
            }
            return (
              <StackedBarChart
                title="Revenue per market day"
                description={`Revenue of ${data.data.length} market days from ${formatLocalDate(data.from)} to ${formatLocalDate(data.to)}; the highest was ${formatMoney(Math.max(...data.data.map((day) => day.revenueMinor)))}.`}
                columns="Market day"
                series={[{ label: 'Revenue', className: 'chart__fill--primary' }]}
                format={(value) => formatMoney(Math.round(value / 100) * 100).replace(/\.00$/, '')}
                minStep={100}
                bars={data.data.map((day) => ({ label: label(day), values: [day.revenueMinor] }))}
              />
            );
          }}
        </Section>

        <Section
          title="Forecast vs actual"
          lede={`How the likely range compared with what sold at ${forecastMarketName}. Sold-out days (hollow dots) only say demand was at least that.`}
          query={forecast}
          isEmpty={(data) => data.data.length === 0}
          empty={<p>No forecasts or sales for this product in this period.</p>}
          controls={
            productList.length > 0 && (
              <ProductSelect
                products={productList}
                value={chosenProductId}
                onChange={setProductId}
              />
            )
          }
        >
          {(data) => (
            <>
              <ForecastChart
                title={`${productName}: forecast vs sold`}
                description={`${data.data.length} market days; the band is the likely range, the line the most likely sales, dots what sold.`}
                points={data.data.map((day) => ({ label: shortDay(day.date), ...day }))}
              />
            </>
          )}
        </Section>

        <Section
          title="Waste and sell-outs"
          query={waste}
          isEmpty={(data) => data.data.length === 0}
          empty={
            <p>No check-ins in this period. After each market, a 30-second check-in fills this.</p>
          }
        >
          {(data) => (
            <StackedBarChart
              title="Units wasted and donated per market day, with sell-outs"
              description={`${data.data.reduce((sum, day) => sum + day.wasted, 0)} units wasted, ${data.data.reduce((sum, day) => sum + day.donated, 0)} donated and ${data.data.reduce((sum, day) => sum + day.sellOuts, 0)} sell-outs over ${data.data.length} checked-in market days.`}
              columns="Market day"
              series={[
                { label: 'Wasted', className: 'chart__fill--danger' },
                { label: 'Donated', className: 'chart__fill--accent' },
              ]}
              markerLabel="Products sold out"
              bars={data.data.map((day) => ({
                label: shortDay(day.date),
                values: [day.wasted, day.donated],
                marker: day.sellOuts,
              }))}
            />
          )}
        </Section>

        <Section
          title="Weather effect per product"
          lede="Sales on rainy market days against dry ones at the same market in the same month, so a rainy season is not read as rain (last two years)."
          query={weather}
          isEmpty={(data) => rainEffectRows(data.data).shown.length === 0}
          empty={<p>Not enough rainy and dry market days with sales yet.</p>}
        >
          {(data) => {
            const { shown, tooFew } = rainEffectRows(data.data);
            return (
              <>
                <HorizontalBarChart
                  title="Rain effect on sales per product"
                  description={`Change of sales on rainy days (${data.thresholds.rainyPrecipMm} mm or more) against dry days of the same market and month, per product with ${MIN_WEATHER_DAYS} or more of each.`}
                  diverging
                  columns={['Product', 'Rainy vs dry days', 'Rainy days', 'Hot vs mild days']}
                  rows={shown.map((row) => ({
                    label: row.productName,
                    value: row.rainEffect,
                    text: formatRatioPercent(row.rainEffect),
                    cells: [
                      formatRatioPercent(row.rainEffect),
                      String(row.rainy.days),
                      formatRatioPercent(row.heatEffect),
                    ],
                  }))}
                />
                {tooFew.length > 0 && (
                  <p className="muted">
                    {`Too few rainy or dry market days yet to tell: ${tooFew
                      .map((row) => `${row.productName} (${row.rainy.days} rainy)`)
                      .join(', ')}.`}
                  </p>
                )}
              </>
            );
          }}
        </Section>

        <Section
          title="Forecast accuracy by market"
          lede="How far the forecast's most likely number was from what sold. Checked against your own history: each market day forecast only from the sales before it. Sell-out days are left out (demand was higher than what sold)."
          query={accuracy}
          isEmpty={(data) => data.markets.every((market) => market.marketDays === 0)}
          empty={<p>No market days with sales in this period yet.</p>}
        >
          {(data) => <AccuracyChart data={data} />}
        </Section>
      </div>
    </div>
  );
}

/** Accuracy per market as bars of the average miss, with how many market days it covers. */
function AccuracyChart({ data }: { data: InsightsAccuracy }) {
  // Each market day belongs to one market: the sum counts every market day once.
  const days = data.markets.reduce((sum, market) => sum + market.marketDays, 0);
  const compared = data.markets.reduce((sum, market) => sum + market.accuracyDays, 0);
  const missed = data.markets.reduce(
    (sum, market) => sum + (market.meanAbsoluteError ?? 0) * market.accuracyDays,
    0,
  );
  return (
    <>
      <p className="insights__summary">
        Accuracy over the last {days} market {days === 1 ? 'day' : 'days'} ({shortDay(data.from)} to{' '}
        {shortDay(data.to)}):{' '}
        <strong>
          {compared === 0 ? 'no day without a sell-out yet' : `${formatMiss(missed / compared)}`}
        </strong>{' '}
        per product and market day.
      </p>
      <HorizontalBarChart
        title="Average miss per product and market day"
        description="Mean difference, in units, between the forecast's most likely number and what sold, per market."
        columns={['Market', 'Market days', 'Average miss', 'Forecast ran', 'Sold in likely range']}
        rows={data.markets.map((market) => ({
          label: market.marketName,
          value: market.meanAbsoluteError,
          text:
            market.meanAbsoluteError === null
              ? market.marketDays === 0
                ? 'no market days'
                : 'only sell-outs'
              : `${formatMiss(market.meanAbsoluteError)} · ${market.marketDays} ${market.marketDays === 1 ? 'day' : 'days'}`,
          cells: [
            String(market.marketDays),
            market.meanAbsoluteError === null ? '—' : formatMiss(market.meanAbsoluteError),
            market.bias === null ? '—' : formatBias(market.bias),
            market.rangeCoverage === null ? '—' : `${Math.round(market.rangeCoverage * 100)}%`,
          ],
        }))}
      />
    </>
  );
}

/** `2.593` -> `"±2.6 units"`. */
function formatMiss(units: number): string {
  const rounded = Math.round(units * 10) / 10;
  return `±${rounded.toFixed(1)} ${rounded === 1 ? 'unit' : 'units'}`;
}

/** `1.35` -> `"1.4 units high"`, `-0.4` -> `"0.4 units low"`, `0.01` -> `"on target"`. */
function formatBias(units: number): string {
  const rounded = Math.round(Math.abs(units) * 10) / 10;
  if (rounded === 0) return 'on target';
  return `${rounded.toFixed(1)} ${rounded === 1 ? 'unit' : 'units'} ${units > 0 ? 'high' : 'low'}`;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => /^[A-Za-z]/.test(word))
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('');
}

function ProductSelect({
  products,
  value,
  onChange,
}: {
  products: readonly { id: string; name: string }[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="mp-field insights__product">
      <span>Product</span>
      <select className="mp-input" value={value} onChange={(event) => onChange(event.target.value)}>
        {products.map((product) => (
          <option key={product.id} value={product.id}>
            {product.name}
          </option>
        ))}
      </select>
    </label>
  );
}
