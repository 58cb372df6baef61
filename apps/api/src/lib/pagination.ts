import { hasNoControlCharacters } from '@marketprep/contracts';
import { z } from 'zod';
import { AppError } from '../errors';

/**
 * Opaque keyset cursors: base64url of the JSON array `[sortKey, id]` of the last row of a page.
 * Clients pass them back unchanged; anything else is a 400.
 */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** Cursor of a list sorted by a string key (name, date) then id. */
export const StringKeyCursorSchema = z.tuple([
  z.string().min(1).max(500).refine(hasNoControlCharacters),
  z.uuid(),
]);

/** Cursor of a list sorted by an ISO timestamp then id. */
export const IsoKeyCursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/**
 * Decodes a cursor and checks its shape with `schema`; a malformed cursor is a 400 problem, never
 * a query.
 */
export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  const malformed = () =>
    new AppError(
      'BAD_REQUEST',
      'Malformed cursor: pass the nextCursor of the previous page.',
      [{ path: 'cursor', message: 'Not a cursor this list issued' }],
      { code: 'invalid-cursor' },
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw malformed();
  return result.data;
}

/**
 * Cuts `rows` (fetched with `limit + 1`) to a page: the extra row only tells that there is a next
 * page, whose cursor is the key of the page's last row.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => readonly string[],
): { data: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { data: rows, nextCursor: null };
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: last === undefined ? null : encodeCursor(keyOf(last)) };
}

/**
 * One page of a short list read whole (team members, API tokens, export requests: bounded by the
 * plan or by retention), in the list's order. The cursor is `[sortKey, id]` of the page's last
 * row; the next page starts after that row, or, if it is gone, after the rows that sort before it
 * (`compare` is the list's order of sort keys).
 */
export function pageInMemory<T>(
  rows: readonly T[],
  page: { limit: number; cursor?: string },
  keyOf: (row: T) => readonly [string, string],
  compare: (a: string, b: string) => number,
): { data: T[]; nextCursor: string | null } {
  const after = decodeCursor(page.cursor, StringKeyCursorSchema);
  let start = 0;
  if (after) {
    const [afterKey, afterId] = after;
    const index = rows.findIndex((row) => keyOf(row)[1] === afterId);
    start =
      index >= 0
        ? index + 1
        : rows.findIndex((row) => {
            const [key, id] = keyOf(row);
            const order = compare(key, afterKey);
            return order > 0 || (order === 0 && id > afterId);
          });
    if (start < 0) start = rows.length;
  }
  return toPage(rows.slice(start, start + page.limit + 1), page.limit, keyOf);
}

/** Ascending code-unit order of sort keys (names, ISO timestamps). */
export const ascending = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Descending order (newest first by ISO timestamp). */
export const descending = (a: string, b: string) => ascending(b, a);
