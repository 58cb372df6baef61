import { DISPLAY_LOCALE, isValidTimeZone } from '../../lib/format';

/**
 * An instant as the vendor reads it on the list: `"Nov 21, 11:56 PM"` in `timeZone` (the market's
 * zone; the viewer's when it is unknown). `"—"` for null.
 */
export function formatInstant(instant: string | null, timeZone: string): string {
  if (instant === null) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(DISPLAY_LOCALE, {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(isValidTimeZone(timeZone) && { timeZone }),
  }).format(date);
}
