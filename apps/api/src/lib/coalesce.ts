/**
 * Coalesces concurrent reads of the same key without ever answering a caller with data read
 * before it asked: a read already running may have taken its snapshot before a caller's own write
 * committed, so a caller arriving meanwhile waits for the NEXT read of that key, which starts as
 * soon as the running one settles and is shared by everyone who arrived in between. Under a burst
 * of identical requests this turns N database reads into about two, while every answer still
 * reflects a read that began after the request arrived (read-your-writes holds).
 */
export class ReadCoalescer<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly queued = new Map<string, Promise<T>>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (!running) return this.start(key, load);
    let queued = this.queued.get(key);
    if (!queued) {
      const settled = running.then(
        () => undefined,
        () => undefined,
      );
      queued = settled.then(() => {
        this.queued.delete(key);
        return this.start(key, load);
      });
      this.queued.set(key, queued);
    }
    return queued;
  }

  private start(key: string, load: () => Promise<T>): Promise<T> {
    const promise = load().finally(() => {
      if (this.running.get(key) === promise) this.running.delete(key);
    });
    this.running.set(key, promise);
    return promise;
  }
}
