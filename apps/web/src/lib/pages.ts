import type { ResponseParser } from './response-shape';
import { apiFetch } from './session';

/** One page of any API list: `{ data, nextCursor }` (docs/api.md "Pagination"). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Every item of a short API list (team members, invitations), walking `nextCursor` page by page
 * at the largest page size. `maxPages` bounds a list that keeps growing while it is read.
 */
export async function fetchAllPages<T>(options: {
  path: string;
  schema: ResponseParser<Page<T>>;
  signal?: AbortSignal;
  maxPages?: number;
  fetchImpl?: typeof fetch;
}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < (options.maxPages ?? 20); page += 1) {
    const separator = options.path.includes('?') ? '&' : '?';
    const path = `${options.path}${separator}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const result: Page<T> = await apiFetch({
      path,
      schema: options.schema,
      signal: options.signal,
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    });
    items.push(...result.data);
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return items;
}
