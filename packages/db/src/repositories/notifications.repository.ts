import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import { enqueueNotificationDeliveries } from './alert-delivery.repository';

/** A notification as the apps see it. */
export interface NotificationRecord {
  id: string;
  userId: string | null;
  kind: string;
  title: string;
  body: string;
  data: unknown;
  readAt: Date | null;
  createdAt: Date;
}

/** A notification to store (the worker's alerts; tests). */
export interface NewNotification {
  vendorId: string;
  /** Null: for every member of the vendor. */
  userId?: string | null;
  kind: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
  /** At most one notification per key and vendor. */
  dedupeKey?: string;
  createdAt?: Date;
}

const select = {
  id: true,
  userId: true,
  kind: true,
  title: true,
  body: true,
  data: true,
  readAt: true,
  createdAt: true,
} as const satisfies Prisma.NotificationSelect;

/**
 * What a member sees: notifications for the whole team plus their own (`userId` null: an API token
 * or the demo, which see only the team's).
 */
function visibleTo(userId: string | null): Prisma.NotificationWhereInput {
  return userId ? { OR: [{ userId: null }, { userId }] } : { userId: null };
}

/** Notifications of the current tenant. Takes a tenant-scoped transaction (see withTenant). */
export class NotificationsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Newest first (then id), optionally only unread ones. */
  async listNotifications(options: {
    userId: string | null;
    unreadOnly?: boolean;
    after?: { createdAt: Date; id: string };
    take: number;
  }): Promise<NotificationRecord[]> {
    const after = options.after;
    return this.tx.notification.findMany({
      where: {
        AND: [
          visibleTo(options.userId),
          options.unreadOnly ? { readAt: null } : {},
          after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {},
        ],
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.take,
      select,
    });
  }

  /** Marks one notification read (keeps the first read time); null when the user cannot see it. */
  async markRead(id: string, userId: string | null, at: Date): Promise<NotificationRecord | null> {
    const where = { AND: [{ id }, visibleTo(userId)] };
    await this.tx.notification.updateMany({
      where: { ...where, readAt: null },
      data: { readAt: at },
    });
    return this.tx.notification.findFirst({ where, select });
  }

  /** Marks every unread notification the user sees read; returns how many changed. */
  async markAllRead(userId: string | null, at: Date): Promise<number> {
    const { count } = await this.tx.notification.updateMany({
      where: { AND: [visibleTo(userId), { readAt: null }] },
      data: { readAt: at },
    });
    return count;
  }

  /**
   * Stores a notification; with a `dedupeKey` already used, nothing changes. Returns the id or null.
   * A new one is also requested by email and push (outbox, same transaction) as the business's
   * alert settings route its kind (issue 19, docs/alerts.md).
   */
  async createNotification(data: NewNotification): Promise<string | null> {
    const { data: payload, ...rest } = data;
    const created = await this.tx.notification.createManyAndReturn({
      data: [{ ...rest, data: payload as Prisma.InputJsonValue | undefined }],
      skipDuplicates: true,
      select: { id: true },
    });
    const id = created[0]?.id ?? null;
    if (id) {
      await enqueueNotificationDeliveries(this.tx, {
        id,
        vendorId: data.vendorId,
        kind: data.kind,
        userId: data.userId,
      });
    }
    return id;
  }

  /** One notification by id (the delivery jobs), whoever it is for; null when not the tenant's. */
  async findNotification(id: string): Promise<NotificationRecord | null> {
    return this.tx.notification.findFirst({ where: { id }, select });
  }
}
