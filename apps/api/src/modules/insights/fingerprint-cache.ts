/**
 * A small in-process cache of answers that are costly to compute (the accuracy backtest trains the
 * model a few times): an entry is served only while the fingerprint of its inputs is unchanged,
 * so new sales, check-ins or a renamed market recompute it. Oldest entries go first past the cap.
 */
export class FingerprintCache<T> {
  private readonly entries = new Map<string, { fingerprint: string; value: T }>();

  constructor(private readonly maxEntries: number) {}

  /** The value stored under `key` for the same `fingerprint`, else undefined. */
  get(key: string, fingerprint: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.fingerprint !== fingerprint) return undefined;
    // Most recently used last, so eviction drops the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` under `key` for `fingerprint` (replacing what was there). */
  set(key: string, fingerprint: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { fingerprint, value });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** How many entries are held. */
  get size(): number {
    return this.entries.size;
  }
}
