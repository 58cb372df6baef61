/**
 * The pack-up check-in form's state, prefill and validation. The rules mirror the API's
 * (`CheckInLineInputSchema`) so the vendor hears what to fix before anything is queued:
 * wasted + donated <= left over <= brought, sold <= brought, a sell-out time only when nothing is
 * left over.
 */
import type { CheckIn, CheckInLine, CheckInLineInput } from '@marketprep/contracts';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The editable values of one product. */
export interface CheckInDraftLine {
  productId: string;
  productName: string;
  unit: string;
  brought: number;
  /** null: unknown (the API fills it from sales data). */
  sold: number | null;
  leftOver: number;
  wasted: number;
  donated: number;
  /** Local `HH:MM` or `''`. */
  soldOutAt: string;
  rating: number | null;
  /** Whether the API already has this product for the day. */
  checkedIn: boolean;
}

/** An ISO instant as the market's local `HH:MM`. */
export function toLocalClock(instant: string, timeZone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(instant));
    const hour = parts.find((part) => part.type === 'hour')?.value ?? '';
    const minute = parts.find((part) => part.type === 'minute')?.value ?? '';
    const clock = `${hour}:${minute}`;
    return HH_MM.test(clock) ? clock : '';
  } catch {
    return '';
  }
}

/**
 * The form's starting values: stored ones when checked in, else brought = the prep list's quantity,
 * sold = the sales data, left over = brought − sold (never below 0), nothing wasted or donated.
 */
export function prefillLine(line: CheckInLine, timeZone: string): CheckInDraftLine {
  const brought = line.brought ?? line.recommendedQuantity ?? 0;
  const sold = line.sold ?? line.salesQuantity ?? null;
  const leftOver = line.leftOver ?? (sold === null ? 0 : Math.max(0, round3(brought - sold)));
  return {
    productId: line.productId,
    productName: line.productName,
    unit: line.unit,
    brought,
    sold,
    leftOver,
    wasted: line.wasted ?? 0,
    donated: line.donated ?? 0,
    soldOutAt: line.soldOutAt === null ? '' : toLocalClock(line.soldOutAt, timeZone),
    rating: line.rating,
    checkedIn: line.checkedIn,
  };
}

/** Every line of a check-in, prefilled. */
export function prefillCheckIn(checkIn: CheckIn): CheckInDraftLine[] {
  return checkIn.lines.map((line) => prefillLine(line, checkIn.timezone));
}

/** Rounds to the API's 3 decimals (produce may be weighed; floating steps must not drift). */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Field name to the message of what to fix. */
export type LineErrors = Partial<
  Record<'brought' | 'sold' | 'leftOver' | 'wasted' | 'donated' | 'soldOutAt' | 'rating', string>
>;

function checkQuantity(value: number | null, label: string): string | undefined {
  if (value === null) return undefined;
  if (!Number.isFinite(value)) return `${label}: enter a number.`;
  if (value < 0) return `${label} cannot be below 0.`;
  if (value > 1_000_000) return `${label} must be at most 1,000,000.`;
  if (Math.abs(value * 1000 - Math.round(value * 1000)) >= 1e-6) {
    return `${label}: use at most 3 decimals.`;
  }
  return undefined;
}

/** What is wrong with one line, per field (empty when it can be sent). */
export function validateLine(line: CheckInDraftLine): LineErrors {
  const errors: LineErrors = {};
  const eps = 1e-9;
  const fields = [
    ['brought', line.brought, 'Brought'],
    ['sold', line.sold, 'Sold'],
    ['leftOver', line.leftOver, 'Left over'],
    ['wasted', line.wasted, 'Wasted'],
    ['donated', line.donated, 'Donated'],
  ] as const;
  for (const [field, value, label] of fields) {
    const message = checkQuantity(value, label);
    if (message !== undefined) errors[field] = message;
  }
  if (errors.leftOver === undefined && errors.brought === undefined) {
    if (line.leftOver > line.brought + eps) {
      errors.leftOver = `Left over (${line.leftOver}) cannot be more than brought (${line.brought}).`;
    }
  }
  if (
    errors.wasted === undefined &&
    errors.donated === undefined &&
    errors.leftOver === undefined
  ) {
    if (line.wasted + line.donated > line.leftOver + eps) {
      errors.wasted = `Wasted + donated (${round3(line.wasted + line.donated)}) cannot be more than left over (${line.leftOver}).`;
    }
  }
  if (errors.sold === undefined && line.sold !== null && line.sold > line.brought + eps) {
    errors.sold = `Sold (${line.sold}) cannot be more than brought (${line.brought}).`;
  }
  if (line.soldOutAt !== '') {
    if (!HH_MM.test(line.soldOutAt)) errors.soldOutAt = 'Enter the time as HH:MM, e.g. 11:40.';
    else if (line.leftOver > 0) {
      errors.soldOutAt =
        'A product with leftovers did not sell out: clear the time or set left over to 0.';
    }
  }
  if (
    line.rating !== null &&
    (!Number.isInteger(line.rating) || line.rating < 1 || line.rating > 5)
  ) {
    errors.rating = 'Rate from 1 to 5 stars.';
  }
  return errors;
}

/** Whether a line says anything worth sending (brought, sold or already stored). */
export function isLineWorthSending(line: CheckInDraftLine): boolean {
  return line.checkedIn || line.brought > 0 || (line.sold ?? 0) > 0;
}

/** The API body line of a draft line. */
export function toLineInput(line: CheckInDraftLine): CheckInLineInput {
  return {
    productId: line.productId,
    brought: line.brought,
    ...(line.sold !== null && { sold: line.sold }),
    leftOver: line.leftOver,
    wasted: line.wasted,
    donated: line.donated,
    soldOutAt: line.soldOutAt === '' ? null : line.soldOutAt,
    rating: line.rating,
  };
}
