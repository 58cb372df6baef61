import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';

/** A provider notification to record (platform table, no tenant). */
export interface WebhookEventWrite {
  provider: 'SQUARE' | 'STRIPE';
  eventId: string;
  eventType: string;
  externalAccountId: string | null;
  payload: Record<string, unknown>;
  processedAt?: Date | null;
}

/**
 * Webhook intake dedupe: (provider, event id) is unique, so recording an event twice writes
 * nothing the second time. Record it in the same transaction as the event's effect.
 */
export class WebhookEventsRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Inserts the event; false when it was already recorded (a replay). */
  async record(event: WebhookEventWrite): Promise<boolean> {
    const result = await this.tx.webhookEvent.createMany({
      data: [
        {
          provider: event.provider,
          eventId: event.eventId,
          eventType: event.eventType,
          externalAccountId: event.externalAccountId,
          payload: event.payload as Prisma.InputJsonObject,
          processedAt: event.processedAt ?? null,
        },
      ],
      skipDuplicates: true,
    });
    return result.count === 1;
  }
}
