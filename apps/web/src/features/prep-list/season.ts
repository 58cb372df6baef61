/**
 * Out-of-season products on the prep list (issue 13): they stay on the list with 0 to bring and
 * the reason, behind a "Show out-of-season" toggle, and never count in its totals, unless the
 * vendor set a quantity for one (then it is packed like any other line). Mirrors the API's
 * `countsInTotals` (apps/api/src/modules/prep-lists/prep-list-lines.ts), which computes the totals.
 */
import type { PrepList, PrepListAvailability, PrepListLine } from '@marketprep/contracts';

/** What a list stored before availability was kept says: in season, for reasons unknown. */
const UNKNOWN_AVAILABILITY: PrepListAvailability = {
  inSeason: true,
  source: 'unknown',
  lastSoldOn: null,
  usualMonths: [],
  note: null,
};

/** Out of season, by the engine's rung or the line's availability. */
export function isOutOfSeason(line: Pick<PrepListLine, 'modelRung' | 'availability'>): boolean {
  return line.modelRung === 'out-of-season' || !line.availability.inSeason;
}

/**
 * The lines a vendor packs (in season, or out of season with a quantity set by hand) and the
 * out-of-season ones the toggle shows, each in the order given.
 */
export function splitBySeason(lines: readonly PrepListLine[]): {
  onList: PrepListLine[];
  outOfSeason: PrepListLine[];
} {
  const onList: PrepListLine[] = [];
  const outOfSeason: PrepListLine[] = [];
  for (const line of lines) {
    if (isOutOfSeason(line) && line.overrideQuantity === null) outOfSeason.push(line);
    else onList.push(line);
  }
  return { onList, outOfSeason };
}

/** The reason a line is not packed: the engine's note ("Not in season: last sold Sep 14; …"). */
export function seasonNote(line: Pick<PrepListLine, 'availability'>): string {
  return line.availability.note ?? 'Not in season';
}

/** The toggle's text: "Show out-of-season (3)" / "Hide out-of-season (3)". */
export function outOfSeasonToggleLabel(count: number, shown: boolean): string {
  return `${shown ? 'Hide' : 'Show'} out-of-season (${count})`;
}

/**
 * What "No product matches" adds when the search found products only among the out-of-season ones
 * (hidden behind the toggle, so the search looked empty): "Out of season (at the end of the list):
 * Blueberries, Strawberries." Null when there are none.
 */
export function outOfSeasonMatchesNote(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const shown =
    names.length <= 3
      ? names.join(', ')
      : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return `Out of season (at the end of the list): ${shown}.`;
}

/**
 * A list as this version of the page reads it. A copy kept offline from before lists said what
 * is in season has no `availability` or `coldStart`: it reads as all in season, no guess.
 */
export function withSeasonDefaults(list: PrepList): PrepList {
  const stored = list as Omit<PrepList, 'coldStart' | 'lines'> & {
    coldStart?: PrepList['coldStart'];
    lines: (Omit<PrepListLine, 'availability'> & { availability?: PrepListAvailability })[];
  };
  if (stored.coldStart !== undefined && stored.lines.every((l) => l.availability !== undefined)) {
    return list;
  }
  return {
    ...stored,
    coldStart: stored.coldStart ?? null,
    lines: stored.lines.map((line) => ({
      ...line,
      availability: line.availability ?? UNKNOWN_AVAILABILITY,
    })),
  };
}
