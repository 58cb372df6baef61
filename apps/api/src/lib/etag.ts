import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors';

/** Response schema of a 304 (no body). */
export const NotModifiedSchema = z.null().describe('Not modified: your cached copy is current');

/**
 * A strong ETag of a representation: the SHA-256 of its JSON (the API's serialization of the same
 * plain object), so any visible change (including derived fields) changes the tag. A body already
 * serialized (a string: the prep list's cached JSON) is hashed as sent; encoding it again as a JSON
 * string cost the prep-list read more than a quarter of its CPU.
 */
export function etagOf(body: unknown): string {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  const hash = createHash('sha256').update(json).digest('base64url');
  return `"${hash.slice(0, 27)}"`;
}

/** Sets the ETag header of a response carrying `body`; returns the tag. */
export function setEtag(reply: FastifyReply, body: unknown): string {
  const etag = etagOf(body);
  void reply.header('etag', etag);
  return etag;
}

/** The entity tags of an If-Match / If-None-Match header (`*` stays `*`). */
function parseTags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

const opaque = (tag: string) => tag.replace(/^W\//, '');

/**
 * Sets the ETag of `body` (`etag` when the caller already has it, as `etagOf(body)`) and tells
 * whether the caller's `If-None-Match` already has it (weak comparison, RFC 9110 13.1.2): then
 * answer 304 with no body.
 */
export function isNotModified(
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
  etag = etagOf(body),
): boolean {
  void reply.header('etag', etag);
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  const tags = parseTags(header);
  return tags.includes('*') || tags.some((tag) => opaque(tag) === etag);
}

/**
 * Enforces `If-Match` (RFC 9110 13.1.1, strong comparison) against the current representation's
 * tag: a mismatch is 412, so a client never overwrites a change it has not seen. No header: no
 * condition.
 */
export function assertIfMatch(ifMatch: string | undefined, current: unknown): void {
  if (ifMatch === undefined) return;
  const tags = parseTags(ifMatch);
  if (tags.includes('*')) return;
  const etag = etagOf(current);
  if (!tags.includes(etag)) {
    throw new AppError(
      'PRECONDITION_FAILED',
      'The resource changed since you read it (If-Match does not match its ETag). Read it again and retry.',
    );
  }
}

/** Request headers of a conditional write (documented in OpenAPI; other headers pass through). */
export const IfMatchHeadersSchema = z
  .object({
    'if-match': z
      .string()
      .max(1000)
      .optional()
      .describe(
        'ETag from a previous read: the change applies only while the resource is unchanged',
      ),
  })
  .loose();

/** The request's `If-Match` header, when it sent exactly one. */
export function ifMatchOf(request: FastifyRequest): string | undefined {
  const header = request.headers['if-match'];
  return typeof header === 'string' ? header : undefined;
}
