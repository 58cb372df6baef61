import {
  NotificationsRepository,
  withTenant,
  type DatabaseClient,
  type NotificationRecord,
} from '@marketprep/db';
import type { Notification } from '@marketprep/contracts';
import { z } from 'zod';
import { AppError } from '../../errors';
import { decodeCursor, toPage } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';

const CreatedAtCursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** The API's view of a notification. */
export function toNotificationDto(n: NotificationRecord): Notification {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: n.data ?? null,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  };
}

/** Notifications for the team (the worker writes them): reading and marking them read. */
export class NotificationsService {
  constructor(private readonly deps: { db: DatabaseClient; now: () => Date }) {}

  /** A page of the notifications the caller sees, newest first. */
  async listNotifications(
    tenant: TenantContext,
    query: { limit: number; cursor?: string | undefined; unread: boolean },
  ): Promise<{ data: Notification[]; nextCursor: string | null }> {
    const after = decodeCursor(query.cursor, CreatedAtCursorSchema);
    const rows = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new NotificationsRepository(tx).listNotifications({
        userId: tenant.userId,
        unreadOnly: query.unread,
        ...(after ? { after: { createdAt: new Date(after[0]), id: after[1] } } : {}),
        take: query.limit + 1,
      }),
    );
    const page = toPage(rows, query.limit, (n) => [n.createdAt.toISOString(), n.id]);
    return { data: page.data.map(toNotificationDto), nextCursor: page.nextCursor };
  }

  /** Marks one notification read (idempotent: the first read time stays); 404 when unseen. */
  async markRead(tenant: TenantContext, notificationId: string): Promise<Notification> {
    const row = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new NotificationsRepository(tx).markRead(notificationId, tenant.userId, this.deps.now()),
    );
    if (!row) throw new AppError('NOT_FOUND', 'No such notification.');
    return toNotificationDto(row);
  }

  /** Marks everything the caller sees read; returns how many changed. */
  async markAllRead(tenant: TenantContext): Promise<number> {
    return withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new NotificationsRepository(tx).markAllRead(tenant.userId, this.deps.now()),
    );
  }
}
