import { AuditLogRepository, withTenant, type DatabaseClient } from '@marketprep/db';
import type { AuditEntry } from '@marketprep/contracts';
import { z } from 'zod';
import { decodeCursor, toPage } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';

const AuditCursorSchema = z.tuple([z.iso.datetime(), z.string().regex(/^[0-9]{1,19}$/)]);
const DAY_MS = 24 * 3_600_000;

/** Query of {@link AuditService.listEntries} (parsed by the route's schema). */
export interface AuditQuery {
  limit: number;
  cursor?: string | undefined;
  actor?: string | undefined;
  entity?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The audit trail as owners read it: who changed what, when. */
export class AuditService {
  constructor(private readonly deps: { db: DatabaseClient }) {}

  /** A page of the trail, newest first, filtered by actor, entity and UTC dates (inclusive). */
  async listEntries(
    tenant: TenantContext,
    query: AuditQuery,
  ): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
    const before = decodeCursor(query.cursor, AuditCursorSchema);
    const rows = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new AuditLogRepository(tx).listEntries({
        ...(query.actor ? { actorUserId: query.actor } : {}),
        ...(query.entity ? { entity: query.entity } : {}),
        ...(query.from ? { from: new Date(`${query.from}T00:00:00Z`) } : {}),
        ...(query.to ? { to: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS) } : {}),
        ...(before ? { before: { createdAt: new Date(before[0]), id: BigInt(before[1]) } } : {}),
        take: query.limit + 1,
      }),
    );
    const page = toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id.toString()]);
    return {
      data: page.data.map((r) => ({
        id: r.id.toString(),
        createdAt: r.createdAt.toISOString(),
        actorType: r.actorType,
        actorUserId: r.actorUserId,
        actorName: r.actorName,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        metadata: r.metadata ?? null,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
