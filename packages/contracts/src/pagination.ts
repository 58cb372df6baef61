import { z } from 'zod';

/** Whether `value` is free of control characters other than tab and line breaks. */
export function hasNoControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) {
      return false;
    }
  }
  return true;
}

/**
 * Text a person typed: trimmed, without control characters (PostgreSQL refuses NUL in text, and
 * nobody means a bell or an escape in a product name).
 */
export function textSchema(options: { min?: number; max: number }) {
  return z
    .string()
    .trim()
    .min(options.min ?? 0)
    .max(options.max)
    .refine(hasNoControlCharacters, 'Must not contain control characters');
}

/** Largest page a list endpoint returns. */
export const MAX_PAGE_SIZE = 200;
/** Page size when `?limit=` is omitted. */
export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=&cursor=` of every list endpoint. */
export const PaginationQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Page size, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe('Opaque cursor: the `nextCursor` of the previous page'),
});

/** The cursor of the next page, or null on the last page. */
export const NextCursorSchema = z
  .string()
  .nullable()
  .describe('Pass as `?cursor=` to read the next page; null on the last page');

/** A page of `item`: `{ data, nextCursor }`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: NextCursorSchema });
}

/** `?limit=&cursor=` after parsing. */
export type PaginationQuery = z.infer<typeof PaginationQuerySchema>;
