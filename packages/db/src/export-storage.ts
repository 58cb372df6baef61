import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\.zip$/;

/**
 * Private storage of export archives: a directory only the api and worker processes read
 * (created 0700, files 0600), one `<vendorId>/<exportId>.zip` per export. The database keeps the
 * key, never a path, so the two processes may mount the directory at different places.
 */
export class ExportStorage {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  /** The key an export's archive is stored under. */
  static keyFor(vendorId: string, exportId: string): string {
    return `${vendorId}/${exportId}.zip`;
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not an export key: ${key.slice(0, 80)}`);
    return join(this.root, key);
  }

  /** A stream writing the archive of `key` (its directory is created private). */
  async openWrite(key: string): Promise<Writable> {
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    return createWriteStream(path, { mode: 0o600 });
  }

  /** The stored archive's size, or null when it is not there. */
  async sizeOf(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  /** A stream reading the stored archive. */
  openRead(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  /** Removes one archive (absent is fine). */
  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Removes every archive of a vendor (erasure). */
  async removeVendor(vendorId: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(vendorId)) throw new Error('not a vendor id');
    await rm(join(this.root, vendorId), { recursive: true, force: true });
  }
}
