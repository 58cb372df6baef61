import { createHash } from 'node:crypto';

/** Thrown when a body grows beyond its limit while streaming. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Wraps a request body: hashes every byte (SHA-256) and counts them, failing once the count passes
 * `maxBytes`. Iterating it never closes the body, so {@link drain} can hash the rest after a reader
 * stopped early (a CSV error) and the hash is always that of the whole file.
 */
export class ByteMeter implements AsyncIterable<Buffer> {
  private readonly hash = createHash('sha256');
  private readonly source: AsyncIterator<unknown>;
  private finished = false;
  /** Bytes read so far. */
  bytes = 0;

  constructor(
    body: AsyncIterable<unknown>,
    private readonly maxBytes: number,
  ) {
    this.source = body[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return { next: () => this.next() };
  }

  private async next(): Promise<IteratorResult<Buffer>> {
    if (this.finished) return { done: true, value: undefined };
    const step = await this.source.next();
    if (step.done) {
      this.finished = true;
      return { done: true, value: undefined };
    }
    const chunk = Buffer.isBuffer(step.value)
      ? step.value
      : typeof step.value === 'string'
        ? Buffer.from(step.value)
        : Buffer.from(step.value as Uint8Array);
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) throw new BodyTooLargeError(this.maxBytes);
    this.hash.update(chunk);
    return { done: false, value: chunk };
  }

  /** Reads (and hashes) whatever the consumer left unread. */
  async drain(): Promise<void> {
    for (;;) {
      const step = await this.next();
      if (step.done) return;
    }
  }

  /** SHA-256 of the bytes read (hex); call after {@link drain}. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}
