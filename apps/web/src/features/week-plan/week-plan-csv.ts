import type { WeekPlan } from '@marketprep/contracts';

/** Columns of the kitchen's CSV, one row per product and market day. */
export const WEEK_PLAN_CSV_COLUMNS = [
  'product',
  'unit',
  'market',
  'date',
  'decide_by',
  'make',
  'carried_over',
  'carried_over_expected',
  'pre_orders',
  'bring',
  'cut',
  'frozen',
  'if_rain_bring',
  'if_rain_profit_change',
] as const;

/** A CSV cell: quoted when it holds a comma, quote or line break; formula starts neutralised. */
function cell(value: string | number | boolean): string {
  let text = String(value);
  // A spreadsheet would run "=..." as a formula (CSV injection): prefix it.
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The plan as CSV (RFC 4180, CRLF), `decide_by` as an ISO instant; `if_rain_*` only on days with
 * rain forecast (the profit change in currency units, e.g. `-25.5`; empty for a product without a
 * price, whose profit is unknown).
 */
export function weekPlanCsv(plan: WeekPlan): string {
  const rows = plan.products.flatMap((product) =>
    product.days.map((day) =>
      [
        product.productName,
        product.unit,
        day.marketName,
        day.date,
        day.deadlineAt,
        day.make,
        day.carriedOver,
        day.carriedExpected,
        day.preOrders,
        day.bring,
        day.cut,
        day.frozen,
        // Empty unless rain is forecast for that day (the rain plan).
        day.rain ? day.rain.bring : '',
        day.rain && product.priced ? day.rain.profitDifferenceMinor / 100 : '',
      ]
        .map(cell)
        .join(','),
    ),
  );
  return [WEEK_PLAN_CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
