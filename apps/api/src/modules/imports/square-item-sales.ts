import { z } from 'zod';
import {
  dateField,
  indexColumns,
  issuesToErrors,
  nameField,
  normalizeHeader,
  parseMoneyMinor,
  quantityField,
  type BoundLayout,
  type RowOutcome,
} from './csv-fields';

/**
 * Columns of the Square Dashboard "Item Sales" export (Reports > Item Sales > Export, "Detail"
 * CSV), in Square's order. Only a few matter for demand; the rest are accepted and ignored.
 */
export const SQUARE_ITEM_SALES_COLUMNS = [
  'Date',
  'Time',
  'Time Zone',
  'Category',
  'Item',
  'Qty',
  'Price Point Name',
  'SKU',
  'Modifiers Applied',
  'Gross Sales',
  'Discounts',
  'Net Sales',
  'Tax',
  'Transaction ID',
  'Payment ID',
  'Device Name',
  'Notes',
  'Details',
  'Event Type',
  'Location',
  'Dining Option',
  'Customer ID',
  'Customer Name',
  'Customer Reference ID',
  'Unit',
  'Count',
  'Itemization Type',
  'Fulfillment Note',
  'Channel',
  'Token',
  'Card Brand',
  'PAN Suffix',
] as const;

/** Columns without which a Square export cannot be imported. */
export const SQUARE_REQUIRED_COLUMNS = ['Date', 'Item', 'Qty', 'Location'] as const;

const COLUMNS = {
  date: 'Date',
  category: 'Category',
  item: 'Item',
  qty: 'Qty',
  pricePoint: 'Price Point Name',
  grossSales: 'Gross Sales',
  netSales: 'Net Sales',
  eventType: 'Event Type',
  location: 'Location',
  itemizationType: 'Itemization Type',
} as const;

/**
 * Whether a header is Square's Item Sales export: it has `Item` and `Qty` and at least one of
 * the columns only that export has.
 */
export function looksLikeSquareItemSales(header: string[]): boolean {
  const names = new Set(header.map(normalizeHeader));
  const has = (c: string) => names.has(normalizeHeader(c));
  return (
    has('Item') &&
    has('Qty') &&
    ['Price Point Name', 'Net Sales', 'Gross Sales', 'Event Type', 'Transaction ID'].some(has)
  );
}

/** The product a Square line sold: the item, plus its price point (variation) unless "Regular". */
export function squareProductName(item: string, pricePoint: string | undefined): string {
  const variation = pricePoint?.trim().replace(/\s+/g, ' ') ?? '';
  return variation && variation.toLowerCase() !== 'regular' ? `${item} (${variation})` : item;
}

/**
 * Binds the Square Item Sales layout to a header. One row is one itemization of a payment or a
 * refund: `Location` is the market, `Item` (+ `Price Point Name`) the product, `Qty` the units
 * (negative or positive on a `Refund` row: counted as refunded), `Net Sales` the revenue, `Gross
 * Sales / Qty` the unit price. "Custom Amount" itemizations are no product and are skipped.
 */
export function bindSquareItemSales(
  header: string[],
  options: { latestDate: string },
): BoundLayout | { missing: string[] } {
  const at = indexColumns(header, COLUMNS);
  const missing = SQUARE_REQUIRED_COLUMNS.filter((c) => {
    const key = (Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]).find((k) => COLUMNS[k] === c);
    return key === undefined || at[key] < 0;
  });
  if (missing.length > 0) return { missing };
  const known = new Set(SQUARE_ITEM_SALES_COLUMNS.map(normalizeHeader));
  const ignoredColumns = header.filter((h) => !known.has(normalizeHeader(h)));

  const money = (label: string) =>
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return null;
        const value = parseMoneyMinor(raw);
        if (value === 'invalid') {
          ctx.addIssue({ code: 'custom', message: `"${raw.trim()}" is not an amount of ${label}` });
          return z.NEVER;
        }
        return value;
      });
  const schema = z.object({
    date: dateField({ latest: options.latestDate, allowUs: true }),
    location: nameField,
    item: nameField,
    pricePoint: z.string().optional(),
    qty: quantityField({ allowNegative: true, label: 'quantity' }),
    grossSales: money('gross sales'),
    netSales: money('net sales'),
    eventType: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const value = raw?.trim().toLowerCase() ?? '';
        if (value === '' || value === 'payment') return 'payment' as const;
        if (value === 'refund') return 'refund' as const;
        ctx.addIssue({
          code: 'custom',
          message: `Unknown Event Type "${raw?.trim() ?? ''}" (expected Payment or Refund)`,
        });
        return z.NEVER;
      }),
    category: z.string().optional(),
  });
  const cell = (fields: string[], index: number) =>
    index >= 0 ? (fields[index] ?? '') : undefined;

  return {
    ignoredColumns,
    readRow(fields): RowOutcome {
      const itemizationType = cell(fields, at.itemizationType)?.trim().toLowerCase();
      if (itemizationType === 'custom amount') return { kind: 'skip' };
      const parsed = schema.safeParse({
        date: cell(fields, at.date),
        location: cell(fields, at.location),
        item: cell(fields, at.item),
        pricePoint: cell(fields, at.pricePoint),
        qty: cell(fields, at.qty),
        grossSales: cell(fields, at.grossSales),
        netSales: cell(fields, at.netSales),
        eventType: cell(fields, at.eventType),
        category: cell(fields, at.category),
      });
      if (!parsed.success) {
        return { kind: 'errors', errors: issuesToErrors(parsed.error.issues, COLUMNS) };
      }
      const row = parsed.data;
      if (row.eventType === 'payment' && row.qty < 0) {
        return {
          kind: 'errors',
          errors: [
            {
              column: 'Qty',
              message: `The quantity ${row.qty / 1000} is negative on a Payment row (only Refund rows may be negative)`,
            },
          ],
        };
      }
      const units = Math.abs(row.qty);
      const refund = row.eventType === 'refund';
      const priceBase = row.grossSales ?? row.netSales;
      const unitPriceMinor =
        priceBase !== null && units > 0 ? Math.round((Math.abs(priceBase) * 1000) / units) : null;
      const revenue = row.netSales ?? row.grossSales;
      return {
        kind: 'row',
        row: {
          date: row.date,
          market: row.location,
          product: squareProductName(row.item, row.pricePoint),
          quantityMilli: refund ? 0 : units,
          refundMilli: refund ? units : 0,
          revenueMinor: revenue === null ? null : refund ? -Math.abs(revenue) : revenue,
          unitPriceMinor,
          broughtMilli: null,
          category: row.category?.trim() || null,
        },
      };
    },
  };
}
