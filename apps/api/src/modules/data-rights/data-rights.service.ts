import type { Readable } from 'node:stream';
import {
  AccountsRepository,
  AuditRepository,
  DataExportsRepository,
  ErasureRepository,
  ExportStorage,
  MembershipsRepository,
  withScope,
  withTenant,
  type DataExportRecord,
  type DatabaseClient,
  type ErasureRecord,
} from '@marketprep/db';
import type { AccountExport, BusinessErasure, DataExport } from '@marketprep/contracts';
import { AppError } from '../../errors';
import { enqueueWork } from '../../lib/outbox';
import type { TenantContext } from '../../plugins/auth';

/** Days between asking to delete a business and its hard deletion (restorable meanwhile). */
export const ERASURE_GRACE_DAYS = 7;
/** Job names the worker registers (apps/worker/src/jobs/{export,erase}-vendor.job.ts). */
export const EXPORT_JOB = 'export-vendor';
export const ERASE_JOB = 'erase-vendor';

/** Dependencies of {@link DataRightsService}. */
export interface DataRightsDeps {
  db: DatabaseClient;
  now: () => Date;
  /** Private directory of export archives (shared with the worker). */
  exportDir: string;
}

/** The API's view of an export. */
export function toDataExportDto(e: DataExportRecord, now: Date): DataExport {
  return {
    id: e.id,
    status: e.status,
    progress: e.progress,
    sizeBytes: e.sizeBytes === null ? null : Number(e.sizeBytes),
    error: e.error,
    requestedAt: e.requestedAt.toISOString(),
    completedAt: e.completedAt?.toISOString() ?? null,
    expiresAt: e.expiresAt?.toISOString() ?? null,
    downloadedAt: e.downloadedAt?.toISOString() ?? null,
    downloadable:
      e.status === 'COMPLETED' &&
      e.downloadedAt === null &&
      e.expiresAt !== null &&
      e.expiresAt > now,
  };
}

function toErasureDto(e: ErasureRecord): BusinessErasure {
  return {
    id: e.id,
    status: e.status,
    requestedAt: e.requestedAt.toISOString(),
    scheduledFor: e.scheduledFor.toISOString(),
    cancelledAt: e.cancelledAt?.toISOString() ?? null,
  };
}

/**
 * Data rights: exporting the business (the worker builds the archive), its single-use download,
 * deleting the business (7-day grace, then the worker's hard deletion), and a user's own account
 * export and deletion.
 */
export class DataRightsService {
  private readonly storage: ExportStorage;

  constructor(private readonly deps: DataRightsDeps) {
    this.storage = new ExportStorage(deps.exportDir);
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  /**
   * Asks for an export: a new request queued for the worker, or the one already queued or
   * running (`created: false`), so a double click builds one archive.
   */
  async requestExport(
    tenant: TenantContext,
    requestId: string,
  ): Promise<{ created: boolean; export: DataExport }> {
    const now = this.deps.now();
    const result = await withTenant(this.prisma, tenant.vendorId, async (tx) => {
      const exports = new DataExportsRepository(tx);
      const active = await exports.findActiveExport();
      if (active) return { created: false, record: active };
      const record = await exports.createExport({
        vendorId: tenant.vendorId,
        requestedByUserId: tenant.userId,
      });
      await enqueueWork(tx, {
        jobName: EXPORT_JOB,
        payload: { vendorId: tenant.vendorId, exportId: record.id },
        dedupeKey: `export:${record.id}`,
        requestId,
      });
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'data_export.requested',
        targetType: 'data_export',
        targetId: record.id,
        requestId,
      });
      return { created: true, record };
    });
    return { created: result.created, export: toDataExportDto(result.record, now) };
  }

  /** The business's latest exports, newest first. */
  async listExports(tenant: TenantContext): Promise<DataExport[]> {
    const now = this.deps.now();
    const rows = await withTenant(this.prisma, tenant.vendorId, (tx) =>
      new DataExportsRepository(tx).listExports(20),
    );
    return rows.map((r) => toDataExportDto(r, now));
  }

  /** One export; 404 when it is not this business's. */
  async getExport(tenant: TenantContext, exportId: string): Promise<DataExport> {
    const row = await withTenant(this.prisma, tenant.vendorId, (tx) =>
      new DataExportsRepository(tx).findExport(exportId),
    );
    if (!row) throw new AppError('NOT_FOUND', 'No such export.');
    return toDataExportDto(row, this.deps.now());
  }

  /**
   * Takes the export's one download: the archive's stream and a file name. A second download,
   * an expired link or an export still being built is a 409 that says what to do.
   */
  async downloadExport(
    tenant: TenantContext,
    exportId: string,
    requestId: string,
  ): Promise<{ stream: Readable; fileName: string; sizeBytes: number }> {
    const now = this.deps.now();
    const outcome = await withTenant(this.prisma, tenant.vendorId, async (tx) => {
      const exports = new DataExportsRepository(tx);
      const found = await exports.findExport(exportId);
      if (!found) return { kind: 'missing' as const };
      if (!found.location) return { kind: 'unavailable' as const, record: found };
      const size = await this.storage.sizeOf(found.location);
      if (size === null) return { kind: 'unavailable' as const, record: found };
      const taken = await exports.consumeDownload(exportId, now);
      if (!taken?.location) return { kind: 'unavailable' as const, record: found };
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'data_export.downloaded',
        targetType: 'data_export',
        targetId: exportId,
        requestId,
      });
      return { kind: 'ok' as const, location: taken.location, size };
    });
    if (outcome.kind === 'missing') throw new AppError('NOT_FOUND', 'No such export.');
    if (outcome.kind === 'unavailable') {
      const r = outcome.record;
      const why =
        r.status === 'PENDING' || r.status === 'RUNNING'
          ? 'This export is still being built; download it when it is ready.'
          : r.downloadedAt
            ? 'This download link has been used: it works once. Request a new export.'
            : r.status === 'FAILED'
              ? 'This export failed. Request a new export.'
              : 'This download link has expired (links last 24 hours). Request a new export.';
      throw new AppError('CONFLICT', why);
    }
    const day = now.toISOString().slice(0, 10);
    return {
      stream: this.storage.openRead(outcome.location),
      fileName: `marketprep-export-${day}.zip`,
      sizeBytes: outcome.size,
    };
  }

  /** The pending deletion of the business, if any. */
  async getErasure(tenant: TenantContext): Promise<BusinessErasure | null> {
    const row = await withTenant(this.prisma, tenant.vendorId, (tx) =>
      new ErasureRepository(tx).findPendingErasure(),
    );
    return row ? toErasureDto(row) : null;
  }

  /**
   * Schedules the deletion of the business in 7 days, after the owner typed its exact name.
   * The worker's erase-vendor job is queued for that moment; restoring cancels it.
   */
  async requestErasure(
    tenant: TenantContext,
    confirm: string,
    requestId: string,
  ): Promise<BusinessErasure> {
    const now = this.deps.now();
    const scheduledFor = new Date(now.getTime() + ERASURE_GRACE_DAYS * 24 * 3_600_000);
    const record = await withTenant(this.prisma, tenant.vendorId, async (tx) => {
      const erasures = new ErasureRepository(tx);
      const vendor = await erasures.findVendor();
      if (!vendor || vendor.deletedAt) throw new AppError('NOT_FOUND', 'No such business.');
      if (confirm.trim() !== vendor.name.trim()) {
        throw new AppError('BAD_REQUEST', 'Type the business name exactly to confirm.', [
          { path: 'confirm', message: `Does not match the business name "${vendor.name}"` },
        ]);
      }
      if (await erasures.findPendingErasure()) {
        throw new AppError(
          'CONFLICT',
          'This business is already scheduled for deletion. Restore it or wait.',
        );
      }
      const created = await erasures.createErasure({
        vendorId: tenant.vendorId,
        requestedByUserId: tenant.userId,
        scheduledFor,
      });
      await enqueueWork(tx, {
        jobName: ERASE_JOB,
        payload: { vendorId: tenant.vendorId, erasureId: created.id },
        dedupeKey: `erase:${created.id}`,
        requestId,
        availableAt: scheduledFor,
      });
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'vendor.erasure_requested',
        targetType: 'vendor',
        targetId: tenant.vendorId,
        requestId,
        metadata: { scheduledFor: scheduledFor.toISOString() },
      });
      return created;
    });
    return toErasureDto(record);
  }

  /** Restores the business: cancels its pending deletion; 404 when none is pending. */
  async cancelErasure(tenant: TenantContext, requestId: string): Promise<BusinessErasure> {
    const now = this.deps.now();
    const record = await withTenant(this.prisma, tenant.vendorId, async (tx) => {
      const erasures = new ErasureRepository(tx);
      const pending = await erasures.findPendingErasure();
      if (!pending || !(await erasures.cancelErasure(pending.id, now))) {
        throw new AppError(
          'NOT_FOUND',
          'No deletion is pending (it was restored, or it has already started).',
        );
      }
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'vendor.erasure_cancelled',
        targetType: 'vendor',
        targetId: tenant.vendorId,
        requestId,
      });
      return erasures.findErasure(pending.id);
    });
    if (!record) throw new AppError('NOT_FOUND', 'No deletion is pending.');
    return toErasureDto(record);
  }

  /** The signed-in user's own data: account, memberships, sign-in sessions. */
  async exportAccount(userId: string): Promise<AccountExport> {
    const account = await new AccountsRepository(this.prisma).findAccountData(userId);
    if (!account) throw new AppError('NOT_FOUND', 'No such account.');
    const memberships = await withScope(this.prisma, { userId }, (tx) =>
      new MembershipsRepository(tx).listForUser(userId),
    );
    return {
      exportedAt: this.deps.now().toISOString(),
      account: {
        id: account.id,
        email: account.email,
        name: account.name,
        createdAt: account.createdAt.toISOString(),
        emailVerifiedAt: account.emailVerifiedAt?.toISOString() ?? null,
      },
      memberships,
      sessions: account.sessions.map((s) => ({
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        revokedAt: s.revokedAt?.toISOString() ?? null,
        ip: s.ip,
        userAgent: s.userAgent,
      })),
    };
  }

  /**
   * Deletes the signed-in user's account after they typed its email. Refused (409) while they
   * are the last owner of a business that still exists: delete that business, or make someone
   * else an owner, first. Their memberships go (each business records it), then the account.
   */
  async deleteAccount(
    userId: string,
    email: string,
    confirm: string,
    requestId: string,
  ): Promise<void> {
    if (confirm.trim().toLowerCase() !== email.toLowerCase()) {
      throw new AppError('BAD_REQUEST', 'Type your account email exactly to confirm.', [
        { path: 'confirm', message: 'Does not match your account email' },
      ]);
    }
    const memberships = await withScope(this.prisma, { userId }, (tx) =>
      new MembershipsRepository(tx).listForUser(userId),
    );
    for (const m of memberships.filter((x) => x.role === 'OWNER')) {
      const owners = await withTenant(this.prisma, m.vendorId, (tx) =>
        new MembershipsRepository(tx).countOwners(),
      );
      if (owners <= 1) {
        throw new AppError(
          'CONFLICT',
          `You are the last owner of "${m.vendorName}". Delete that business, or make another member an owner, before deleting your account.`,
        );
      }
    }
    for (const m of memberships) {
      await withTenant(this.prisma, m.vendorId, async (tx) => {
        const repository = new MembershipsRepository(tx);
        // Again under the owners' row locks: another owner may have left since the check above.
        if (m.role === 'OWNER' && (await repository.countOwners()) <= 1) {
          throw new AppError(
            'CONFLICT',
            `You are the last owner of "${m.vendorName}". Delete that business, or make another member an owner, before deleting your account.`,
          );
        }
        await repository.removeMember(userId);
        await new AuditRepository(tx).record({
          vendorId: m.vendorId,
          actorUserId: userId,
          actorType: 'user',
          action: 'account.deleted',
          targetType: 'user',
          targetId: userId,
          requestId,
        });
      });
    }
    await new AccountsRepository(this.prisma).eraseUser(userId, this.deps.now());
  }
}
