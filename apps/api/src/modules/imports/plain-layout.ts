import { z } from 'zod';
import {
  dateField,
  indexColumns,
  issuesToErrors,
  nameField,
  normalizeHeader,
  quantityField,
  unitPriceField,
  type BoundLayout,
  type RowOutcome,
} from './csv-fields';

/** Required columns of the plain layout (`../shared/datasets/README.md`), in order. */
export const PLAIN_REQUIRED_COLUMNS = ['date', 'market', 'product', 'quantity'] as const;
/** Optional columns of the plain layout. */
export const PLAIN_OPTIONAL_COLUMNS = ['brought', 'unit_price'] as const;

const COLUMNS = {
  date: 'date',
  market: 'market',
  product: 'product',
  quantity: 'quantity',
  brought: 'brought',
  unit_price: 'unit_price',
} as const;

/** Whether the header looks like an attempt at the plain layout (shares any required column). */
export function looksLikePlainLayout(header: string[]): boolean {
  const names = new Set(header.map(normalizeHeader));
  return PLAIN_REQUIRED_COLUMNS.some((c) => names.has(c));
}

/**
 * Binds the plain layout `date,market,product,quantity[,brought][,unit_price]` to a header (any
 * order, case-insensitive; other columns are ignored and reported). Returns the missing required
 * columns instead when there are any.
 */
export function bindPlainLayout(
  header: string[],
  options: { latestDate: string },
): BoundLayout | { missing: string[] } {
  const at = indexColumns(header, COLUMNS);
  const missing = PLAIN_REQUIRED_COLUMNS.filter((c) => at[c] < 0);
  if (missing.length > 0) return { missing };
  const known = new Set(Object.values(at).filter((i) => i >= 0));
  const ignoredColumns = header.filter((_, i) => !known.has(i));

  const schema = z.object({
    date: dateField({ latest: options.latestDate }),
    market: nameField,
    product: nameField,
    quantity: quantityField({ allowNegative: false, label: 'quantity' }),
    brought: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? v : undefined))
      .pipe(quantityField({ allowNegative: false, label: 'brought quantity' }).optional()),
    unit_price: unitPriceField.optional(),
  });
  const cell = (fields: string[], index: number) =>
    index >= 0 ? (fields[index] ?? '') : undefined;

  return {
    ignoredColumns,
    readRow(fields): RowOutcome {
      const parsed = schema.safeParse({
        date: cell(fields, at.date),
        market: cell(fields, at.market),
        product: cell(fields, at.product),
        quantity: cell(fields, at.quantity),
        brought: cell(fields, at.brought),
        unit_price: cell(fields, at.unit_price),
      });
      if (!parsed.success) {
        return { kind: 'errors', errors: issuesToErrors(parsed.error.issues, COLUMNS) };
      }
      const row = parsed.data;
      const unitPriceMinor = row.unit_price ?? null;
      return {
        kind: 'row',
        row: {
          date: row.date,
          market: row.market,
          product: row.product,
          quantityMilli: row.quantity,
          refundMilli: 0,
          revenueMinor:
            unitPriceMinor === null ? null : Math.round((row.quantity * unitPriceMinor) / 1000),
          unitPriceMinor,
          broughtMilli: row.brought ?? null,
          category: null,
        },
      };
    },
  };
}
