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
