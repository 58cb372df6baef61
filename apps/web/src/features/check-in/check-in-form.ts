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
  /** When `broughtKnown` is false: sold + left over, kept in step as those change. */
  brought: number;
  /**
   * False when nothing says what was brought (no stored check-in, no prep list: a CSV-onboarded
   * business): `brought` then follows sold + left over, so it can never be a validation trap.
   */
  broughtKnown: boolean;
  /** null: unknown (the API fills it from sales data). */
  sold: number | null;
  leftOver: number;
  wasted: number;
  donated: number;
  /** Local `HH:MM` or `''`. */
  soldOutAt: string;
  rating: number | null;
  /** The sold count read from sales data, and where from (null: not prefilled). */
  soldFrom: { value: number; source: 'square' | 'sales' } | null;
  /** The sell-out time read from the day's sales (the last sale), and where from. */
  soldOutFrom: { clock: string; source: 'square' | 'sales' } | null;
  /** Whether the API already has this product for the day. */
  checkedIn: boolean;
  /**
   * The saved line's version when the form was loaded (null: none saved). Sent back as
   * `expectedUpdatedAt`, so the API refuses the save if another phone saved this line since.
   */
  updatedAt: string | null;
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
 * Without a stored or planned quantity, brought is unknown and follows sold + left over.
 */
export function prefillLine(line: CheckInLine, timeZone: string): CheckInDraftLine {
  const knownBrought = line.brought ?? line.recommendedQuantity;
  const sold = line.sold ?? line.salesQuantity ?? null;
  const leftOver =
    line.leftOver ??
    (sold === null || knownBrought === null ? 0 : Math.max(0, round3(knownBrought - sold)));
  const brought = knownBrought ?? round3((sold ?? 0) + leftOver);
  return {
    productId: line.productId,
    productName: line.productName,
    unit: line.unit,
    brought,
    broughtKnown: knownBrought !== null,
    sold,
    leftOver,
    wasted: line.wasted ?? 0,
    donated: line.donated ?? 0,
    soldOutAt: line.soldOutAt === null ? '' : toLocalClock(line.soldOutAt, timeZone),
    soldFrom:
      line.prefilledFrom.sold !== null && sold !== null
        ? { value: sold, source: line.prefilledFrom.sold }
        : null,
    soldOutFrom:
      line.prefilledFrom.soldOutAt !== null && line.soldOutAt !== null
        ? { clock: toLocalClock(line.soldOutAt, timeZone), source: line.prefilledFrom.soldOutAt }
        : null,
    rating: line.rating,
    checkedIn: line.checkedIn,
    updatedAt: line.checkedIn ? line.updatedAt : null,
  };
}

const SOURCE_WORDS = { square: 'from Square', sales: 'from your sales data' } as const;

/**
 * Where the prefilled sold count and sell-out time came from, while they stand as prefilled
 * ("from Square", "From Square: last sale 11:42"); undefined once typed over.
 */
export function describePrefill(line: CheckInDraftLine): { sold?: string; soldOutAt?: string } {
  const note: { sold?: string; soldOutAt?: string } = {};
  if (line.soldFrom && line.sold === line.soldFrom.value) {
    note.sold = SOURCE_WORDS[line.soldFrom.source];
  }
  if (line.soldOutFrom && line.soldOutAt === line.soldOutFrom.clock) {
    const words = SOURCE_WORDS[line.soldOutFrom.source];
    note.soldOutAt = `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}: last sale ${line.soldOutFrom.clock}`;
  }
  return note;
}

/**
 * A line after an edit. Typing brought makes it known; while it is unknown it follows
 * sold + left over.
 */
export function applyLinePatch(
  line: CheckInDraftLine,
  patch: Partial<CheckInDraftLine>,
): CheckInDraftLine {
  const next = { ...line, ...patch };
  if (patch.brought !== undefined) return { ...next, broughtKnown: true };
  if (!next.broughtKnown) return { ...next, brought: round3((next.sold ?? 0) + next.leftOver) };
  return next;
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

const EDITABLE_FIELDS = [
  'brought',
  'sold',
  'leftOver',
  'wasted',
  'donated',
  'soldOutAt',
  'rating',
] as const;

/** Whether the person changed a line since the form was loaded. */
export function isLineChanged(line: CheckInDraftLine, loaded: CheckInDraftLine): boolean {
  return EDITABLE_FIELDS.some((field) => line[field] !== loaded[field]);
}

/**
 * The lines a save sends: only those the person changed, so two phones checking in the same day
 * on different products do not overwrite each other (the API keeps lines it is not sent). When
 * nothing was changed, saving confirms the prefilled lines not yet checked in (a first check-in
 * saved untouched).
 */
export function selectLinesToSend(
  lines: readonly CheckInDraftLine[],
  loaded: readonly CheckInDraftLine[],
): CheckInDraftLine[] {
  const loadedById = new Map(loaded.map((line) => [line.productId, line]));
  const changed = lines.filter((line) => {
    const before = loadedById.get(line.productId);
    return before === undefined || isLineChanged(line, before);
  });
  if (changed.length > 0) return changed.filter(isLineWorthSending);
  return lines.filter((line) => !line.checkedIn && isLineWorthSending(line));
}

/**
 * Products among `productIds` whose stored line changed on the server since the form was loaded
 * (another phone, or a later save): their `checkedIn` or `updatedAt` differs.
 */
export function findConflicts(
  productIds: readonly string[],
  loaded: CheckIn,
  current: CheckIn,
): CheckInLine[] {
  const loadedById = new Map(loaded.lines.map((line) => [line.productId, line]));
  return current.lines.filter((line) => {
    if (!productIds.includes(line.productId)) return false;
    const before = loadedById.get(line.productId);
    if (before === undefined) return line.checkedIn;
    return before.checkedIn !== line.checkedIn || before.updatedAt !== line.updatedAt;
  });
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
    expectedUpdatedAt: line.updatedAt,
  };
}
