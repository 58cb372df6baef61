import { z } from 'zod';

/** A row quantity above this is refused as absurd (a typo or a wrong column). */
export const MAX_ROW_QUANTITY = 100_000;
/** A unit price above this (major units) is refused as absurd. */
export const MAX_UNIT_PRICE = 100_000;
/** The earliest sales date accepted. */
export const MIN_SALES_DATE = '2000-01-01';
/** Longest market or product name. */
export const MAX_NAME_LENGTH = 120;

/** One row as the layouts understand it, before aggregation. Quantities are in thousandths. */
export interface SalesRow {
  /** Market-local calendar date, `YYYY-MM-DD`. */
  date: string;
  market: string;
  product: string;
  /** Units sold (>= 0), in thousandths. */
  quantityMilli: number;
  /** Units refunded (>= 0), in thousandths (Square refunds only). */
  refundMilli: number;
  /** Money of the row in minor units (negative for a refund), or null when the file has none. */
  revenueMinor: number | null;
  /** Price of one unit in minor units, when known. */
  unitPriceMinor: number | null;
  /** Units brought to the market, in thousandths, when known. */
  broughtMilli: number | null;
  /** Category to give a product the import creates. */
  category: string | null;
}

/** What a layout makes of one record. */
export type RowOutcome =
  | { kind: 'row'; row: SalesRow }
  | { kind: 'skip' }
  | { kind: 'errors'; errors: { column: string | null; message: string }[] };

/** A layout bound to a file's header. */
export interface BoundLayout {
  ignoredColumns: string[];
  readRow(fields: string[]): RowOutcome;
}

/** Header text as compared: trimmed, lower case, inner whitespace and underscores as one space. */
export function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

/** Whether `YYYY-MM-DD` names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * The latest sales date accepted: "tomorrow" where it is latest on Earth (UTC+14), so a vendor in
 * any zone can import today's and tomorrow's pre-orders but nothing further ahead.
 */
export function latestAcceptedDate(now: Date): string {
  return new Date(now.getTime() + (14 + 24) * 3_600_000).toISOString().slice(0, 10);
}

/** A date field in `YYYY-MM-DD` (or, with `allowUs`, Square's `MM/DD/YYYY`), within bounds. */
export function dateField(options: { latest: string; allowUs?: boolean }) {
  return z.string().transform((raw, ctx) => {
    let value = raw.trim();
    const us = options.allowUs ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value) : null;
    if (us) value = `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
    if (!isCalendarDate(value)) {
      ctx.addIssue({
        code: 'custom',
        message: value
          ? `"${raw.trim()}" is not a real calendar date (expected YYYY-MM-DD${options.allowUs ? ' or MM/DD/YYYY' : ''})`
          : 'The date is empty',
      });
      return z.NEVER;
    }
    if (value < MIN_SALES_DATE) {
      ctx.addIssue({ code: 'custom', message: `${value} is before ${MIN_SALES_DATE}` });
      return z.NEVER;
    }
    if (value > options.latest) {
      ctx.addIssue({ code: 'custom', message: `${value} is in the future` });
      return z.NEVER;
    }
    return value;
  });
}

/** A market or product name: trimmed, inner whitespace collapsed, 1..120 characters. */
export const nameField = z
  .string()
  .transform((raw) => raw.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'The name is empty')
      .max(MAX_NAME_LENGTH, `Names are at most ${MAX_NAME_LENGTH} characters`),
  );

/** Parses a plain decimal number ("12", "-3.5", "12.0000000000"); NaN when it is not one. */
export function parseDecimal(raw: string): number {
  const value = raw.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) return Number.NaN;
  return Number(value);
}

/**
 * A quantity in thousandths. `allowNegative` only for Square refunds; otherwise a negative number
 * is refused, as is anything above {@link MAX_ROW_QUANTITY} or not a finite number.
 */
export function quantityField(options: { allowNegative: boolean; label: string }) {
  return z.string().transform((raw, ctx) => {
    const value = parseDecimal(raw);
    if (!Number.isFinite(value)) {
      ctx.addIssue({
        code: 'custom',
        message: raw.trim()
          ? `"${raw.trim()}" is not a number (use a decimal point, no thousands separator)`
          : `The ${options.label} is empty`,
      });
      return z.NEVER;
    }
    if (value < 0 && !options.allowNegative) {
      ctx.addIssue({
        code: 'custom',
        message: `The ${options.label} ${value} is negative (only Square refund rows may be negative)`,
      });
      return z.NEVER;
    }
    if (Math.abs(value) > MAX_ROW_QUANTITY) {
      ctx.addIssue({
        code: 'custom',
        message: `The ${options.label} ${value} is not plausible (at most ${MAX_ROW_QUANTITY} per row)`,
      });
      return z.NEVER;
    }
    return Math.round(value * 1000);
  });
}

/**
 * Money in major units to minor units: "$4.50", "4.50", "1,234.50", "-$4.50", "($4.50)" (negative),
 * "€4,50" is not accepted (ambiguous). Null for an empty cell.
 */
export function parseMoneyMinor(raw: string): number | null | 'invalid' {
  let value = raw.trim();
  if (!value) return null;
  let negative = false;
  if (/^\(.*\)$/.test(value)) {
    negative = true;
    value = value.slice(1, -1).trim();
  }
  if (value.startsWith('-')) {
    negative = !negative;
    value = value.slice(1).trim();
  }
  value = value.replace(/^[$£€]/, '').trim();
  if (value.startsWith('-')) {
    negative = !negative;
    value = value.slice(1).trim();
  }
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(value)) return 'invalid';
  const minor = Math.round(Number(value.replace(/,/g, '')) * 100);
  if (!Number.isFinite(minor) || minor > MAX_UNIT_PRICE * 100 * MAX_ROW_QUANTITY) return 'invalid';
  return negative ? -minor : minor;
}

/** Unit price in major units (plain layout `unit_price`): minor units, or null when empty. */
export const unitPriceField = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  if (!value) return null;
  const number = parseDecimal(value);
  if (!Number.isFinite(number) || number < 0 || number > MAX_UNIT_PRICE) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a unit price (a decimal number from 0 to ${MAX_UNIT_PRICE})`,
    });
    return z.NEVER;
  }
  return Math.round(number * 100);
});

/** Turns a zod failure into per-column messages (the path's first key is the column name). */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  columnNames: Record<string, string>,
): { column: string | null; message: string }[] {
  return issues.map((issue) => {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : null;
    return { column: key ? (columnNames[key] ?? key) : null, message: issue.message };
  });
}

/** Finds each wanted header (normalized) in `header`; index or -1. */
export function indexColumns<K extends string>(
  header: string[],
  wanted: Record<K, string>,
): Record<K, number> {
  const normalized = header.map(normalizeHeader);
  const result = {} as Record<K, number>;
  for (const key of Object.keys(wanted) as K[]) {
    result[key] = normalized.indexOf(normalizeHeader(wanted[key]));
  }
  return result;
}
