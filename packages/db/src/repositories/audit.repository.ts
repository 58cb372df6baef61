import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/** One entry of the append-only audit trail. */
export interface AuditEntry {
  vendorId: string;
  actorUserId: string | null;
  actorType: 'user' | 'api_token' | 'system';
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  requestId?: string;
  metadata?: Record<string, unknown>;
}

/** Writes the audit trail in the same tenant transaction as the change it records. */
export class AuditRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Appends an entry. */
  async record(entry: AuditEntry): Promise<void> {
    await this.tx.auditLog.create({
      data: { ...entry, metadata: entry.metadata as Prisma.InputJsonValue | undefined },
    });
  }
}

/** One audit entry as the trail screen shows it (actor's name joined from users). */
export interface AuditRecord {
  id: bigint;
  createdAt: Date;
  actorType: string;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: unknown;
}

/** Filters of {@link AuditLogRepository.listEntries}. */
export interface AuditListOptions {
  actorUserId?: string;
  /** Target type (`market`, `product`, ...) or action prefix (`auth`, `data_export`). */
  entity?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Keyset: entries older than this one (created_at, id). */
  before?: { createdAt: Date; id: bigint };
  take: number;
}

/** Reads the audit trail of the current tenant, and the two data-rights operations on it. */
export class AuditLogRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Newest first, filtered by actor, entity and date. */
  async listEntries(options: AuditListOptions): Promise<AuditRecord[]> {
    const where: Prisma.AuditLogWhereInput = {
      ...(options.actorUserId ? { actorUserId: options.actorUserId } : {}),
      ...(options.entity
        ? {
            OR: [{ targetType: options.entity }, { action: { startsWith: `${options.entity}.` } }],
          }
        : {}),
      ...(options.from || options.to
        ? {
            createdAt: {
              ...(options.from ? { gte: options.from } : {}),
              ...(options.to ? { lt: options.to } : {}),
            },
          }
        : {}),
    };
    const before = options.before;
    const rows = await this.tx.auditLog.findMany({
      where: before
        ? {
            AND: [
              where,
              {
                OR: [
                  { createdAt: { lt: before.createdAt } },
                  { createdAt: before.createdAt, id: { lt: before.id } },
                ],
              },
            ],
          }
        : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.take,
      select: {
        id: true,
        createdAt: true,
        actorType: true,
        actorUserId: true,
        action: true,
        targetType: true,
        targetId: true,
        metadata: true,
      },
    });
    const actorIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
    const users = actorIds.length
      ? await this.tx.user.findMany({
          where: { id: { in: actorIds } },
          select: { id: true, name: true, deletedAt: true },
        })
      : [];
    const names = new Map(users.map((u) => [u.id, u.deletedAt ? null : u.name]));
    return rows.map((r) => ({
      ...r,
      actorName: r.actorUserId ? (names.get(r.actorUserId) ?? null) : null,
    }));
  }

  /**
   * Replaces actor and subject ids of `vendorId`'s entries by a stable keyed hash and drops ip,
   * request id and free text (data_rights.pseudonymize_audit_log; only the tenant of this
   * transaction). Safe to run twice. Returns the entries changed.
   */
  async pseudonymize(vendorId: string, key: string): Promise<number> {
    const [row] = await this.tx.$queryRaw<{ n: number }[]>`
      SELECT data_rights.pseudonymize_audit_log(${vendorId}::uuid, ${key}) AS n`;
    return row?.n ?? 0;
  }
}
