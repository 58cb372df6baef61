/**
 * A few hundred bytes of structural checking for API answers, with zod's `safeParse` shape so
 * `fetchApi`/`apiFetch` take either this or a contracts schema.
 *
 * Why not the contracts' zod schemas everywhere: importing one ships zod and the contracts module
 * graph (~35 KB gzip, ~125 KB of script to evaluate on a phone) to the page. The API already checks
 * every answer against its contract before sending it, so the screens every vendor opens first
 * (the signed-in shell, dashboard, prep list) check only that an answer has the fields and JSON
 * types they read. That still catches what a second check is for: an answer that is not the API's
 * (a proxy's error page, a wrong route) or a contract change the web app missed. Forms keep
 * validating input with the shared zod schemas.
 */
import type { z } from 'zod';

/** What a check reports: the first problem found, zod-issue shaped. */
export type ShapeIssue = z.core.$ZodIssueCustom;

/** Checks `value` (at `path` in the answer); null when it fits. */
export type Check = (value: unknown, path: PropertyKey[]) => ShapeIssue | null;

/** The part of a zod schema that `fetchApi` and `apiFetch` use. */
export interface ResponseParser<T> {
  safeParse(
    input: unknown,
  ):
    { success: true; data: T } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } };
}

const issue = (path: PropertyKey[], message: string): ShapeIssue => ({
  code: 'custom',
  path,
  message,
});

/** A string. */
export const string: Check = (value, path) =>
  typeof value === 'string' ? null : issue(path, 'Expected a string');

/** A finite number. */
export const number: Check = (value, path) =>
  typeof value === 'number' && Number.isFinite(value) ? null : issue(path, 'Expected a number');

/** A boolean. */
export const boolean: Check = (value, path) =>
  typeof value === 'boolean' ? null : issue(path, 'Expected a boolean');

/** Anything (a field the screen passes on without reading). */
export const unknown: Check = () => null;

/** A string matching `pattern` (formats a screen parses, like `YYYY-MM-DD`). */
export function matching(pattern: RegExp): Check {
  return (value, path) =>
    typeof value === 'string' && pattern.test(value)
      ? null
      : issue(path, `Expected a string matching ${String(pattern)}`);
}

/** One of `values`. */
export function oneOf(values: readonly (string | number | boolean)[]): Check {
  return (value, path) =>
    values.includes(value as string) ? null : issue(path, `Expected one of ${values.join(', ')}`);
}

/** `check` or null. */
export function nullable(check: Check): Check {
  return (value, path) => (value === null ? null : check(value, path));
}

/** `check` or absent. */
export function optional(check: Check): Check {
  return (value, path) => (value === undefined ? null : check(value, path));
}

/** An array whose every item passes `item`. */
export function array(item: Check): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return issue(path, 'Expected an array');
    for (let index = 0; index < value.length; index += 1) {
      const found = item(value[index], [...path, index]);
      if (found !== null) return found;
    }
    return null;
  };
}

/** An object with (at least) these fields; other fields pass through unchecked. */
export function object(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return issue(path, 'Expected an object');
    }
    const record = value as Record<string, unknown>;
    for (const [key, check] of entries) {
      const found = check(record[key], [...path, key]);
      if (found !== null) return found;
    }
    return null;
  };
}

/** A parser of `T` from a check (the caller vouches that the check describes `T`). */
export function shape<T>(check: Check): ResponseParser<T> {
  return {
    safeParse(input) {
      const found = check(input, []);
      return found === null
        ? { success: true, data: input as T }
        : { success: false, error: { issues: [found] } };
    },
  };
}
