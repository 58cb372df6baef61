import Holidays from 'date-holidays';
import { AppError } from '../../errors';

/**
 * The canonical name of an IANA time zone (`america/chicago` → `America/Chicago`), or a 400.
 * UTC offsets are refused: a market's zone must follow its daylight-saving rules.
 */
export function canonicalTimeZone(timeZone: string): string {
  const invalid = () =>
    new AppError('BAD_REQUEST', `Unknown time zone "${timeZone.slice(0, 64)}".`, [
      { path: 'timezone', message: 'Expected an IANA time zone such as America/Chicago' },
    ]);
  if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(timeZone)) throw invalid();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw invalid();
  }
}

/** Countries whose subdivisions date-holidays lists in full. */
const COMPLETE_REGION_LISTS = new Set(['US', 'CA', 'AU', 'DE', 'AT', 'CH', 'GB', 'BR']);

let holidays: Holidays | undefined;
let countries: Record<string, string> | undefined;

/**
 * Checks that `countryCode` is one `date-holidays` knows (public and school holidays come from it),
 * and that a region code, when the library lists the country's regions completely enough to have
 * it, is one of them. Codes are upper case.
 */
export function assertKnownCountry(countryCode: string, regionCode: string | null): void {
  holidays ??= new Holidays();
  countries ??= holidays.getCountries('en');
  if (!Object.hasOwn(countries, countryCode)) {
    throw new AppError('BAD_REQUEST', `Unknown country code "${countryCode}".`, [
      { path: 'countryCode', message: 'Expected an ISO 3166-1 alpha-2 code such as US' },
    ]);
  }
  if (regionCode === null) return;
  // date-holidays lists every state of some countries (US, DE, ...) but only the regions with their
  // own holidays for others (FR): a region is checked only where the list is the full one.
  const regions = holidays.getStates(countryCode, 'en') as Record<string, string> | undefined;
  if (regions && COMPLETE_REGION_LISTS.has(countryCode) && !Object.hasOwn(regions, regionCode)) {
    throw new AppError('BAD_REQUEST', `Unknown region "${regionCode}" for ${countryCode}.`, [
      {
        path: 'regionCode',
        message: `Expected one of ${Object.keys(regions).slice(0, 60).join(', ')}`,
      },
    ]);
  }
}
