/**
 * Hand-written charts: each is a `<figure>` whose picture (`role="img"`: an SVG for charts over
 * time, HTML bars for the per-row charts so names and values lay out like text and cannot overlap)
 * has a title and a description, followed by the same numbers as a table (behind "Show the
 * numbers"), so a screen reader or a keyboard user gets everything the picture shows.
 */
import { useId, type ReactNode } from 'react';

import {
  bandPath,
  labelIndexes,
  linePath,
  niceAxis,
  scaleLinear,
  type NiceAxis,
} from './chart-math';

const WIDTH = 360;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 30, left: 44 };

function ChartFigure({
  title,
  description,
  children,
  table,
  legend,
}: {
  title: string;
  description: string;
  children: (ids: { titleId: string; descId: string }) => ReactNode;
  table: ReactNode;
  legend?: ReactNode;
}) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  return (
    <figure className="chart">
      {children({ titleId, descId })}
      {legend}
      <figcaption className="visually-hidden">{title}</figcaption>
      <details className="chart__table">
        <summary>Show the numbers</summary>
        {/* Focusable so a keyboard can scroll a table wider than the phone. */}
        <div className="chart__scroll" tabIndex={0} role="region" aria-label={`${title}: numbers`}>
          {table}
        </div>
      </details>
      <p id={descId} hidden>
        {description}
      </p>
    </figure>
  );
}

function Axis({
  axis,
  format,
  y,
}: {
  axis: NiceAxis;
  format: (v: number) => string;
  y: (v: number) => number;
}) {
  return (
    <g className="chart__axis" aria-hidden="true">
      {axis.ticks.map((tick) => (
        <g key={tick}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
          <text x={PAD.left - 4} y={y(tick) + 4} textAnchor="end">
            {format(tick)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** One bar group of a stacked bar chart. */
export interface StackedBar {
  label: string;
  values: number[];
  /** A small mark above the bar (e.g. sell-outs), when any. */
  marker?: number;
}

/** Bars over time, optionally stacked (one colour per series) with a marker count above each. */
export function StackedBarChart({
  title,
  description,
  series,
  bars,
  format = (value) => String(Math.round(value)),
  markerLabel,
  columns,
  minStep = 1,
}: {
  title: string;
  description: string;
  series: readonly { label: string; className: string }[];
  bars: readonly StackedBar[];
  format?: (value: number) => string;
  markerLabel?: string;
  /** Table header of the label column. */
  columns: string;
  /** Smallest axis step (1 for units, 100 for money in minor units: whole dollars). */
  minStep?: number;
}) {
  const totals = bars.map((bar) => bar.values.reduce((sum, value) => sum + value, 0));
  const axis = niceAxis(Math.max(0, ...totals), { minStep });
  const y = scaleLinear([0, axis.max], [HEIGHT - PAD.bottom, PAD.top]);
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, bars.length);
  const barWidth = Math.max(2, Math.min(28, slot * 0.7));
  const shown = labelIndexes(bars.length, 5);
  return (
    <ChartFigure
      title={title}
      description={description}
      legend={
        series.length > 1 || markerLabel ? (
          <ul className="chart__legend">
            {series.map((entry) => (
              <li key={entry.label}>
                <span className={`chart__swatch ${entry.className}`} aria-hidden="true" />
                {entry.label}
              </li>
            ))}
            {markerLabel && (
              <li>
                <span className="chart__swatch chart__swatch--marker" aria-hidden="true" />
                {markerLabel}
              </li>
            )}
          </ul>
        ) : undefined
      }
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{columns}</th>
              {series.map((entry) => (
                <th scope="col" key={entry.label}>
                  {entry.label}
                </th>
              ))}
              {markerLabel && <th scope="col">{markerLabel}</th>}
            </tr>
          </thead>
          <tbody>
            {bars.map((bar, index) => (
              <tr key={`${bar.label}-${index}`}>
                <th scope="row">{bar.label}</th>
                {bar.values.map((value, valueIndex) => (
                  <td key={valueIndex}>{format(value)}</td>
                ))}
                {markerLabel && <td>{bar.marker ?? 0}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {({ titleId, descId }) => (
        <svg
          className="chart__svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
        >
          <title id={titleId}>{title}</title>
          <Axis axis={axis} format={format} y={y} />
          {bars.map((bar, index) => {
            const x = PAD.left + slot * index + (slot - barWidth) / 2;
            let base = 0;
            return (
              <g key={`${bar.label}-${index}`}>
                {bar.values.map((value, valueIndex) => {
                  const top = y(base + value);
                  const height = y(base) - top;
                  base += value;
                  return (
                    <rect
                      key={valueIndex}
                      className={series[valueIndex]?.className}
                      x={x}
                      y={top}
                      width={barWidth}
                      height={Math.max(0, height)}
                    />
                  );
                })}
                {bar.marker !== undefined && bar.marker > 0 && (
                  <circle
                    className="chart__marker"
                    cx={x + barWidth / 2}
                    cy={y(base) - 6}
                    r={Math.min(5, 2 + bar.marker)}
                  />
                )}
                {shown.has(index) && (
                  <text
                    className="chart__label"
                    x={x + barWidth / 2}
                    y={HEIGHT - PAD.bottom + 14}
                    textAnchor="middle"
                  >
                    {bar.label}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      )}
    </ChartFigure>
  );
}

/** One market day of a forecast-vs-actual chart. */
export interface ForecastPoint {
  label: string;
  q10: number | null;
  q50: number | null;
  q90: number | null;
  recommended: number | null;
  sold: number | null;
  soldOut: boolean | null;
}

/** The likely range as a band, the median as a line, what was brought dashed, sold as dots. */
export function ForecastChart({
  title,
  description,
  points,
}: {
  title: string;
  description: string;
  points: readonly ForecastPoint[];
}) {
  // Units: whole-number ticks, each once (a slow seller's axis reads 0, 1, 2, not 0, 1, 1, 2, 2).
  const axis = niceAxis(
    Math.max(0, ...points.flatMap((p) => [p.q90 ?? 0, p.sold ?? 0, p.recommended ?? 0])),
  );
  const y = scaleLinear([0, axis.max], [HEIGHT - PAD.bottom, PAD.top]);
  const x = scaleLinear([0, Math.max(1, points.length - 1)], [PAD.left + 8, WIDTH - PAD.right - 8]);
  const yOrNull = (value: number | null) => (value === null ? null : y(value));
  const shown = labelIndexes(points.length, 4);
  const fmt = (value: number | null) =>
    value === null ? '—' : String(Math.round(value * 10) / 10);
  return (
    <ChartFigure
      title={title}
      description={description}
      legend={
        <ul className="chart__legend">
          <li>
            <span className="chart__swatch chart__band" aria-hidden="true" />
            Likely range (P10–P90)
          </li>
          <li>
            <span className="chart__swatch chart__swatch--line" aria-hidden="true" />
            Most likely
          </li>
          <li>
            <span className="chart__swatch chart__swatch--dashed" aria-hidden="true" />
            Brought (list)
          </li>
          <li>
            <span className="chart__swatch chart__swatch--dot" aria-hidden="true" />
            Sold (hollow: sold out)
          </li>
        </ul>
      }
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Market day</th>
              <th scope="col">Likely range</th>
              <th scope="col">Most likely</th>
              <th scope="col">List</th>
              <th scope="col">Sold</th>
              <th scope="col">Sold out</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point, index) => (
              <tr key={`${point.label}-${index}`}>
                <th scope="row">{point.label}</th>
                <td>
                  {point.q10 === null || point.q90 === null
                    ? '—'
                    : `${fmt(point.q10)}–${fmt(point.q90)}`}
                </td>
                <td>{fmt(point.q50)}</td>
                <td>{fmt(point.recommended)}</td>
                <td>{fmt(point.sold)}</td>
                <td>{point.soldOut === null ? '—' : point.soldOut ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {({ titleId, descId }) => (
        <svg
          className="chart__svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
        >
          <title id={titleId}>{title}</title>
          <Axis axis={axis} format={(v) => String(v)} y={y} />
          <path
            className="chart__band"
            d={bandPath(
              points.map((p, i) => ({ x: x(i), low: yOrNull(p.q10), high: yOrNull(p.q90) })),
            )}
          />
          <path
            className="chart__line"
            d={linePath(points.map((p, i) => ({ x: x(i), y: yOrNull(p.q50) })))}
          />
          <path
            className="chart__line chart__line--dashed"
            d={linePath(points.map((p, i) => ({ x: x(i), y: yOrNull(p.recommended) })))}
          />
          {points.map((point, index) =>
            point.sold === null ? null : (
              <circle
                key={index}
                className={point.soldOut ? 'chart__dot chart__dot--censored' : 'chart__dot'}
                cx={x(index)}
                cy={y(point.sold)}
                r={3.5}
              />
            ),
          )}
          {points.map((point, index) =>
            shown.has(index) ? (
              <text
                key={`l-${index}`}
                className="chart__label"
                x={x(index)}
                y={HEIGHT - PAD.bottom + 14}
                textAnchor="middle"
              >
                {point.label}
              </text>
            ) : null,
          )}
        </svg>
      )}
    </ChartFigure>
  );
}

/** One row of a horizontal bar chart. */
export interface HorizontalRow {
  label: string;
  value: number | null;
  /** The value as text, at the end of the row's name line. */
  text: string;
  /** The row's cells in the table, one per column after the label column. */
  cells: readonly string[];
}

/**
 * Horizontal bars, one row per item: the name and the value on a line of text (the name shortened
 * with an ellipsis when space runs out, so the two never overlap), the bar on its own line below.
 * `diverging` centres zero so negative values go left (effects of weather); otherwise bars grow
 * from the left (accuracy).
 */
export function HorizontalBarChart({
  title,
  description,
  rows,
  diverging = false,
  columns,
}: {
  title: string;
  description: string;
  rows: readonly HorizontalRow[];
  diverging?: boolean;
  /** Table headers: the label column, then one per cell. */
  columns: readonly [string, ...string[]];
}) {
  const extent = Math.max(0, ...rows.map((row) => Math.abs(row.value ?? 0)));
  const max = diverging ? Math.max(0.05, extent) : niceAxis(extent, { minStep: 0.1 }).max;
  // Positions in percent of the track's width.
  const at = scaleLinear(diverging ? [-max, max] : [0, max], [0, 100]);
  const zero = at(0);
  return (
    <ChartFigure
      title={title}
      description={description}
      table={
        <table>
          <thead>
            <tr>
              {columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={`${row.label}-${index}`}>
                <th scope="row">{row.label}</th>
                {row.cells.map((cell, cellIndex) => (
                  <td key={cellIndex}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {({ titleId, descId }) => (
        <div className="hbar" role="img" aria-labelledby={`${titleId} ${descId}`}>
          <span id={titleId} hidden>
            {title}
          </span>
          {rows.map((row, index) => {
            const end = row.value === null ? zero : at(row.value);
            const negative = (row.value ?? 0) < 0;
            return (
              <div className="hbar__row" key={`${row.label}-${index}`}>
                <span className="hbar__name">{row.label}</span>
                <span className="hbar__value">{row.text}</span>
                <span className={diverging ? 'hbar__track hbar__track--diverging' : 'hbar__track'}>
                  <span
                    className={negative ? 'hbar__bar hbar__bar--negative' : 'hbar__bar'}
                    style={{
                      left: `${Math.min(zero, end)}%`,
                      width: `${Math.abs(end - zero)}%`,
                    }}
                  />
                </span>
              </div>
            );
          })}
        </div>
      )}
    </ChartFigure>
  );
}
