'use client';

import type { GoNoGo } from '@marketprep/contracts';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';

import { formatLocalDate, formatMoney, toLocalDate } from '../../lib/format';
import { marketsQueryOptions } from '../markets/markets.api';
import { ErrorBlock, LoadingBlock } from '../prep-list/states';
import { formatRatioPercent } from './chart-math';
import { ForecastChart, HorizontalBarChart, StackedBarChart } from './charts';
import {
  daysBefore,
  forecastQueryOptions,
  goNoGoQueryOptions,
  productsQueryOptions,
  salesQueryOptions,
  statsQueryOptions,
  wasteQueryOptions,
  weatherQueryOptions,
} from './insights.api';

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

function GoNoGoTable({ data }: { data: GoNoGo }) {
  return (
    <div className="chart__scroll" tabIndex={0} role="region" aria-label="Go / no-go table">
      <table className="gng">
        <caption className="visually-hidden">
          Expected revenue minus booth fee per upcoming market day
        </caption>
        <thead>
          <tr>
            <th scope="col">Market day</th>
            <th scope="col">Expected revenue</th>
            <th scope="col">Booth fee</th>
            <th scope="col">Net</th>
            <th scope="col">Weather</th>
            <th scope="col">Call</th>
          </tr>
        </thead>
        <tbody>
          {data.data.map((day) => (
            <tr key={day.marketDayId}>
              <th scope="row">
                {formatLocalDate(day.date)}
                <span className="gng__market">{day.marketName}</span>
              </th>
              <td>
                {day.expectedRevenueMinor === null ? '—' : formatMoney(day.expectedRevenueMinor)}
                {day.basis === 'history' && <span className="gng__note"> (past days)</span>}
              </td>
              <td>{formatMoney(day.boothFeeMinor)}</td>
              <td>{day.netMinor === null ? '—' : formatMoney(day.netMinor)}</td>
              <td>
                {day.weather === null
                  ? '—'
                  : [
                      day.weather.summary,
                      day.weather.tempMaxC === null
                        ? null
                        : `${Math.round(day.weather.tempMaxC)}°C`,
                      day.weather.precipProb === null
                        ? null
                        : `${Math.round(day.weather.precipProb)}% rain`,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
              </td>
              <td>
                <span className={`gng__call gng__call--${day.recommendation}`}>
                  {CALL_LABELS[day.recommendation]}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
  const forecastMarketId = marketId || marketList[0]?.id || '';

  const sales = useQuery(salesQueryOptions(scope));
  const waste = useQuery(wasteQueryOptions(scope));
  const weather = useQuery(weatherQueryOptions({ marketId }));
  const goNoGo = useQuery(goNoGoQueryOptions(14));
  const stats = useQuery(statsQueryOptions({ marketId, days: weeks * 7 }));
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
        <Section
          title="Go / no-go, next 2 weeks"
          lede="Expected revenue minus the booth fee. Go: at least twice the fee; skip: the fee eats it."
          query={goNoGo}
          isEmpty={(data) => data.data.length === 0}
          empty={<p>No market days scheduled in the next two weeks.</p>}
        >
          {(data) => <GoNoGoTable data={data} />}
        </Section>

        <Section
          title="Sales per market day"
          query={sales}
          isEmpty={(data) => data.data.length === 0}
          empty={<p>No sales in this period yet. Connect Square or import a CSV.</p>}
        >
          {(data) => (
            <StackedBarChart
              title="Revenue per market day"
              description={`Revenue of ${data.data.length} market days from ${formatLocalDate(data.from)} to ${formatLocalDate(data.to)}; the highest was ${formatMoney(Math.max(...data.data.map((day) => day.revenueMinor)))}.`}
              columns="Market day"
              series={[{ label: 'Revenue', className: 'chart__fill--primary' }]}
              format={(value) => formatMoney(Math.round(value / 100) * 100).replace(/\.00$/, '')}
              bars={data.data.map((day) => ({
                label: marketId
                  ? shortDay(day.date)
                  : `${shortDay(day.date)} ${initials(day.marketName)}`,
                values: [day.revenueMinor],
              }))}
            />
          )}
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
          lede="Sales on rainy market days compared with dry ones (last two years)."
          query={weather}
          isEmpty={(data) =>
            data.data.every((row) => row.rainEffect === null && row.heatEffect === null)
          }
          empty={<p>Not enough rainy and dry market days with sales yet.</p>}
        >
          {(data) => (
            <HorizontalBarChart
              title="Rain effect on sales per product"
              description={`Change of sales on rainy days (${data.thresholds.rainyPrecipMm} mm or more) against dry days, per product.`}
              diverging
              columns={['Product', 'Rainy vs dry (hot vs mild)']}
              rows={data.data
                .filter((row) => row.rainEffect !== null)
                .sort((a, b) => (a.rainEffect ?? 0) - (b.rainEffect ?? 0))
                .map((row) => ({
                  label: row.productName,
                  value: row.rainEffect,
                  text:
                    formatRatioPercent(row.rainEffect) +
                    (row.heatEffect === null ? '' : ` (${formatRatioPercent(row.heatEffect)})`),
                }))}
            />
          )}
        </Section>

        <Section
          title="Accuracy by market"
          lede="How far the list was from what sold, on average (sell-out days left out), from your check-ins."
          query={stats}
          isEmpty={(data) => data.markets.length === 0}
          empty={<p>No check-ins in this period yet.</p>}
        >
          {(data) => (
            <HorizontalBarChart
              title="Average miss per product and market day"
              description="Mean absolute difference between the list's quantity and units sold, per market."
              columns={['Market', 'Average miss · bias · waste']}
              rows={data.markets.map((market) => ({
                label: market.marketName,
                value: market.meanAbsoluteError,
                text:
                  market.meanAbsoluteError === null
                    ? 'not enough days'
                    : `±${market.meanAbsoluteError.toFixed(1)} · ${market.bias !== null && market.bias > 0 ? '+' : ''}${market.bias?.toFixed(1) ?? '—'} · ${market.wasteRate === null ? '—' : `${Math.round(market.wasteRate * 100)}%`}`,
              }))}
            />
          )}
        </Section>
      </div>
    </div>
  );
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
