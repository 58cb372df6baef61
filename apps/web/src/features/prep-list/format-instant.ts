import { DISPLAY_LOCALE, isValidTimeZone } from '../../lib/format';

// One formatter per zone: building an Intl formatter costs far more than formatting with it, and a
// prep list formats five instants on every render.
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as the vendor reads it on the list: `"Nov 21, 11:56 PM"` in `timeZone` (the market's
 * zone; the viewer's when it is unknown). `"—"` for null.
 */
export function formatInstant(instant: string | null, timeZone: string): string {
  if (instant === null) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '—';
  const zone = isValidTimeZone(timeZone) ? timeZone : '';
  let format = instantFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(DISPLAY_LOCALE, {
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      ...(zone !== '' && { timeZone: zone }),
    });
    instantFormats.set(zone, format);
  }
  return format.format(date);
}
