import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  DataExportsRepository,
  EXPORT_ENTITIES,
  ErasureRepository,
  ExportStorage,
  NotificationsRepository,
  OutboxRepository,
  withTenant,
  type DatabaseClient,
  type ExportEntity,
} from '@marketprep/db';
import { ZipArchive, type Archiver } from 'archiver';
import { UnrecoverableError } from 'bullmq';
import { stringify } from 'csv-stringify';
import { billingEmailJob } from './billing-email.job';
import { exportVendorJob } from './export-vendor.job';
import { parsePayload, type JobHandler } from './job';

/** Version of the archive's layout (manifest.json `schemaVersion`); bump on any column change. */
export const EXPORT_SCHEMA_VERSION = 1;
/** Hours a finished export can be downloaded (once). */
export const EXPORT_LINK_HOURS = 24;
/** Rows read per query: one index range, so memory stays flat whatever the business's size. */
const BATCH_ROWS = 5_000;

/** What the data-rights jobs need. */
export interface DataRightsJobDeps {
  db: DatabaseClient;
  now: () => Date;
  /** Private directory of export archives (EXPORT_DIR, shared with the API). */
  exportDir: string;
}

/** One CSV as the manifest lists it. */
export interface ManifestFile {
  file: string;
  entity: string;
  rows: number;
  bytes: number;
  sha256: string;
  columns: readonly string[];
}

const README = (vendorName: string, generatedAt: string) => `MarketPrep data export
======================

Business: ${vendorName}
Generated: ${generatedAt} (UTC)

Every record of the business, one CSV file per kind (UTF-8, comma-separated, a header row,
RFC 4180 quoting). manifest.json lists each file with its row count and SHA-256 checksum
(check one with: sha256sum sales.csv).

  markets.csv            markets (location, time zone, booth fee in minor units)
  market_schedules.csv   weekly opening hours and seasons (weekday 0 = Monday; weeks_of_month
                         "1 3" = the 1st and 3rd of the month, -1 = the last, blank = every week;
                         every_other_week_from: a date it runs on every two weeks from, or blank)
  market_days.csv        market days added, changed or cancelled by hand
  products.csv           products with economics (price, unit cost, salvage value in minor units)
  sales.csv              every sale line
  daily_sales.csv        daily totals per product and market
  check_ins.csv          pack-up check-ins: brought, sold, left over, wasted, donated
  prep_lists.csv         prep lists as generated (with prep_list_lines.csv)
  events.csv             local events the business entered or that were fetched
  notifications.csv      notifications
  replays.csv            your last season replayed: each replay and its result (JSON)
  audit_log.csv          who changed what, when

Moving to another MarketPrep business: sales.csv (or daily_sales.csv) starts with the columns
of the plain import layout (date, market, product, quantity, unit_price) and re-imports as it
is under Settings > Import sales. Amounts ending in _minor are in the currency's minor unit
(cents); dates are the market's local dates, times are UTC (ISO 8601).
`;

/**
 * Streams one entity into the archive as CSV: rows are read in keyset batches and written with
 * back-pressure; the CSV's bytes are hashed on the way. Resolves when the entry is complete.
 */
async function appendEntity(options: {
  archive: Archiver;
  entity: ExportEntity;
  readBatch: (cursor: string | null) => Promise<{ cursor: string; cells: (string | null)[] }[]>;
  onRows: (count: number) => Promise<void>;
}): Promise<ManifestFile> {
  const { archive, entity } = options;
  const csv = stringify({ header: true, columns: [...entity.columns] });
  const hash = createHash('sha256');
  let bytes = 0;
  csv.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const ended = once(csv, 'end');
  archive.append(csv, { name: entity.file });
  let cursor: string | null = null;
  let rows = 0;
  for (;;) {
    const batch = await options.readBatch(cursor);
    for (const row of batch) {
      if (!csv.write(row.cells)) await once(csv, 'drain');
    }
    rows += batch.length;
    await options.onRows(batch.length);
    if (batch.length < BATCH_ROWS) break;
    cursor = batch[batch.length - 1]?.cursor ?? null;
  }
  csv.end();
  await ended;
  return {
    file: entity.file,
    entity: entity.name,
    rows,
    bytes,
    sha256: hash.digest('hex'),
    columns: entity.columns,
  };
}

/**
 * Builds the export archive of one business: a zip streamed to private storage with one CSV per
 * entity, manifest.json (schema version, counts, checksums) and README.txt; progress is stored
 * as it goes. When done the export is downloadable once for 24 hours and the requester is
 * notified. A failure is recorded on the export (FAILED) and not retried.
 */
export function createExportVendorHandler(deps: DataRightsJobDeps): JobHandler {
  const storage = new ExportStorage(deps.exportDir);
  return async (payload, context) => {
    const { vendorId, exportId } = parsePayload(exportVendorJob, payload);
    const started = await withTenant(deps.db.prisma, vendorId, async (tx) => {
      const record = await new DataExportsRepository(tx).startExport(exportId);
      const vendor = await new ErasureRepository(tx).findVendor();
      return record && vendor && !vendor.deletedAt ? { record, vendor } : null;
    });
    if (!started) return { skipped: 'not-pending' };
    const key = ExportStorage.keyFor(vendorId, exportId);
    try {
      const counts = await withTenant(deps.db.prisma, vendorId, (tx) =>
        new DataExportsRepository(tx).countExportRows(vendorId),
      );
      const total = Math.max(
        1,
        Object.values(counts).reduce((a, b) => a + b, 0),
      );
      let done = 0;
      let reported = 0;
      const onRows = async (count: number) => {
        done += count;
        const progress = Math.floor((done / total) * 99);
        if (progress - reported >= 5) {
          reported = progress;
          await withTenant(deps.db.prisma, vendorId, (tx) =>
            new DataExportsRepository(tx).setProgress(exportId, progress),
          );
        }
      };

      const out = await storage.openWrite(key);
      const archive = new ZipArchive({ zlib: { level: 6 } });
      const closed = once(out, 'close');
      const failed = new Promise<never>((_, reject) => {
        archive.on('error', reject);
        out.on('error', reject);
      });
      archive.pipe(out);
      const generatedAt = deps.now().toISOString();
      const build = async () => {
        const files: ManifestFile[] = [];
        for (const entity of EXPORT_ENTITIES) {
          files.push(
            await appendEntity({
              archive,
              entity,
              onRows,
              readBatch: (cursor) =>
                withTenant(deps.db.prisma, vendorId, (tx) =>
                  new DataExportsRepository(tx).readExportBatch(
                    vendorId,
                    entity.name,
                    cursor,
                    BATCH_ROWS,
                  ),
                ),
            }),
          );
        }
        const manifest = {
          format: 'marketprep-export',
          schemaVersion: EXPORT_SCHEMA_VERSION,
          exportId,
          vendor: { id: vendorId, name: started.vendor.name },
          generatedAt,
          counts: Object.fromEntries(files.map((f) => [f.entity, f.rows])),
          files,
        };
        archive.append(JSON.stringify(manifest, null, 2), { name: 'manifest.json' });
        archive.append(README(started.vendor.name, generatedAt), { name: 'README.txt' });
        await archive.finalize();
        await closed;
      };
      await Promise.race([build(), failed]);
      const sizeBytes = (await storage.sizeOf(key)) ?? 0;
      const completedAt = deps.now();
      const expiresAt = new Date(completedAt.getTime() + EXPORT_LINK_HOURS * 3_600_000);
      await withTenant(deps.db.prisma, vendorId, async (tx) => {
        await new DataExportsRepository(tx).completeExport(exportId, {
          location: key,
          sizeBytes,
          completedAt,
          expiresAt,
        });
        await new NotificationsRepository(tx).createNotification({
          vendorId,
          userId: started.record.requestedByUserId,
          kind: 'data_export.ready',
          title: 'Your data export is ready',
          body: `Download it under Settings > Your data within ${EXPORT_LINK_HOURS} hours; the link works once.`,
          data: { exportId, expiresAt: expiresAt.toISOString() },
          dedupeKey: `data-export-ready:${exportId}`,
        });
        // The email goes through the outbox with the notification (the billing-email job mails a
        // member by user id, reading the address when it sends).
        const userId = started.record.requestedByUserId;
        if (userId) {
          await new OutboxRepository(tx).enqueue({
            jobName: billingEmailJob.name,
            payload: {
              vendorId,
              userId,
              kind: 'data_export.ready',
              subject: 'Your MarketPrep data export is ready',
              text: `Your export of ${started.vendor.name} is ready. Download it under Settings > Your data within ${EXPORT_LINK_HOURS} hours; the link works once. If you did not ask for it, tell the other owners of the business.\n`,
            },
            dedupeKey: `data-export-email:${exportId}`,
            requestId: context.requestId ?? null,
          });
        }
      });
      return { exportId, sizeBytes, rows: done };
    } catch (error) {
      await storage.remove(key).catch(() => undefined);
      await withTenant(deps.db.prisma, vendorId, (tx) =>
        new DataExportsRepository(tx).failExport(
          exportId,
          'The archive could not be built. Request a new export.',
        ),
      );
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
  };
}
