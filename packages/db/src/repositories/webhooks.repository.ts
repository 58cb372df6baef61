import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenant';
import { OutboxRepository } from './outbox.repository';

/** Job the outbox relay runs for each delivery attempt (apps/worker/src/jobs/deliver-webhook.job.ts). */
export const DELIVER_WEBHOOK_JOB = 'deliver-webhook';

/** A webhook endpoint as stored, without its secret. */
export interface WebhookEndpointRecord {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  consecutiveFailures: number;
  createdAt: Date;
}

/** A delivery as listed in the log. */
export interface WebhookDeliveryRecord {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
}

/**
 * An endpoint's signing secret as stored: sealed with the token key ring (TokenCipher), or, on a
 * row from before migration 20261211000300 the worker has not sealed yet, in clear.
 */
export type StoredWebhookSecret =
  { kind: 'sealed'; sealed: Uint8Array; keyId: string } | { kind: 'legacy-clear'; secret: string };

/** What the worker needs to make one attempt. */
export interface WebhookAttemptTarget {
  delivery: WebhookDeliveryRecord & { payload: unknown };
  endpoint: { id: string; url: string; secret: StoredWebhookSecret; enabled: boolean };
}

const secretSelect = {
  secret: true,
  secretEncrypted: true,
  encryptionKeyId: true,
} as const satisfies Prisma.WebhookEndpointSelect;

function storedSecretOf(row: {
  secret: string | null;
  secretEncrypted: Uint8Array | null;
  encryptionKeyId: string | null;
}): StoredWebhookSecret {
  if (row.secretEncrypted && row.encryptionKeyId) {
    return { kind: 'sealed', sealed: row.secretEncrypted, keyId: row.encryptionKeyId };
  }
  // The table's check constraint allows no third form.
  if (row.secret === null) throw new Error('webhook endpoint has no secret');
  return { kind: 'legacy-clear', secret: row.secret };
}

const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  consecutiveFailures: true,
  createdAt: true,
} as const satisfies Prisma.WebhookEndpointSelect;

const deliverySelect = {
  id: true,
  endpointId: true,
  eventId: true,
  eventType: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastAttemptAt: true,
  lastStatusCode: true,
  lastError: true,
  createdAt: true,
} as const satisfies Prisma.WebhookDeliverySelect;

/** An event to send to the business's subscribed endpoints. */
export interface WebhookEventInput {
  vendorId: string;
  type: string;
  /** The event's `data`: ids and small facts, never secrets. */
  data: Record<string, unknown>;
  now: Date;
  requestId?: string | null;
}

/**
 * Emits a webhook event in the caller's transaction (SQL `webhook_emit`, migration
 * 20261210000500, the one mechanism the triggers use too): one delivery per enabled endpoint of
 * the current vendor subscribed to `type`, each with the outbox row of its first attempt. The
 * event exists iff the transaction (the change it reports) commits. Returns the event id, or null
 * when no endpoint listens (nothing written).
 */
export async function emitWebhookEvent(
  tx: TenantTransaction,
  event: WebhookEventInput,
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string | null }[]>`
    SELECT webhook_emit(${event.vendorId}::uuid, ${event.type}, ${JSON.stringify(event.data)}::jsonb,
                        ${event.requestId ?? null}, ${event.now}::timestamptz)::text AS id`;
  return rows[0]?.id ?? null;
}

/**
 * Businesses with a webhook secret not sealed with `currentKeyId` (an older key, or still in clear),
 * platform-wide: vendor ids only, through monitoring.webhook_secret_reseal_vendor_ids (migration
 * 20261211000310). The re-sealing runs per vendor under withTenant.
 */
export async function listVendorIdsWithSecretsToReseal(
  prisma: PrismaClient,
  currentKeyId: string,
): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ vendor_id: string }[]>`
    SELECT vendor_id::text AS vendor_id
      FROM monitoring.webhook_secret_reseal_vendor_ids(${currentKeyId})`;
  return rows.map((row) => row.vendor_id);
}

/** Webhook endpoints and deliveries of the current tenant (a tenant-scoped transaction). */
export class WebhooksRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Stores an endpoint with its secret, sealed by the caller (the secret never comes here in clear). */
  createEndpoint(data: {
    vendorId: string;
    url: string;
    description: string | null;
    events: string[];
    secretEncrypted: Uint8Array;
    encryptionKeyId: string;
  }): Promise<WebhookEndpointRecord> {
    return this.tx.webhookEndpoint.create({
      data: { ...data, secretEncrypted: new Uint8Array(data.secretEncrypted) },
      select: endpointSelect,
    });
  }

  /**
   * Endpoints whose secret is not sealed with `currentKeyId`: sealed with an older key, or still
   * in clear from before the secrets were sealed. Rotation re-seals them.
   */
  async listSecretsToReseal(
    currentKeyId: string,
  ): Promise<{ id: string; secret: StoredWebhookSecret }[]> {
    const rows = await this.tx.webhookEndpoint.findMany({
      where: {
        OR: [{ secret: { not: null } }, { encryptionKeyId: { not: currentKeyId } }],
      },
      select: { id: true, ...secretSelect },
      orderBy: { id: 'asc' },
    });
    return rows.map((row) => ({ id: row.id, secret: storedSecretOf(row) }));
  }

  /**
   * Replaces an endpoint's secret with its sealed form (rotation, or sealing a legacy clear one),
   * clearing the clear column. Only when the row still holds `expected` (a concurrent rotation
   * already did it otherwise). Returns whether it was written.
   */
  async storeSealedSecret(options: {
    endpointId: string;
    expected: StoredWebhookSecret;
    sealed: Uint8Array;
    keyId: string;
  }): Promise<boolean> {
    const { expected } = options;
    const { count } = await this.tx.webhookEndpoint.updateMany({
      where: {
        id: options.endpointId,
        ...(expected.kind === 'sealed'
          ? { encryptionKeyId: expected.keyId, secret: null }
          : { secret: expected.secret }),
      },
      data: {
        secretEncrypted: new Uint8Array(options.sealed),
        encryptionKeyId: options.keyId,
        secret: null,
      },
    });
    return count > 0;
  }

  /** A page of endpoints, newest first (keyset on createdAt, id). */
  listEndpoints(options: {
    limit: number;
    after?: { createdAt: Date; id: string };
  }): Promise<WebhookEndpointRecord[]> {
    return this.tx.webhookEndpoint.findMany({
      select: endpointSelect,
      where: options.after
        ? {
            OR: [
              { createdAt: { lt: options.after.createdAt } },
              { createdAt: options.after.createdAt, id: { lt: options.after.id } },
            ],
          }
        : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.limit,
    });
  }

  /** One endpoint of the current vendor, or null. */
  findEndpoint(id: string): Promise<WebhookEndpointRecord | null> {
    return this.tx.webhookEndpoint.findFirst({ where: { id }, select: endpointSelect });
  }

  /**
   * Changes an endpoint. Turning it back on clears the disable reason and the failure streak.
   * Returns null when there is no such endpoint.
   */
  async updateEndpoint(
    id: string,
    change: { description?: string | null; events?: string[]; enabled?: boolean },
    now: Date,
  ): Promise<WebhookEndpointRecord | null> {
    const existing = await this.findEndpoint(id);
    if (!existing) return null;
    const data: Prisma.WebhookEndpointUpdateInput = { updatedAt: now };
    if (change.description !== undefined) data.description = change.description;
    if (change.events !== undefined) data.events = change.events;
    if (change.enabled === true && !existing.enabled) {
      Object.assign(data, {
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        consecutiveFailures: 0,
      });
    } else if (change.enabled === false && existing.enabled) {
      Object.assign(data, {
        enabled: false,
        disabledReason: 'Turned off by an owner.',
        disabledAt: now,
      });
    }
    return this.tx.webhookEndpoint.update({ where: { id }, data, select: endpointSelect });
  }

  /** Deletes an endpoint and its delivery log; false when there is none. */
  async deleteEndpoint(id: string): Promise<boolean> {
    const { count } = await this.tx.webhookEndpoint.deleteMany({ where: { id } });
    return count > 0;
  }

  /** A page of an endpoint's deliveries, newest first. */
  listDeliveries(options: {
    endpointId: string;
    limit: number;
    after?: { createdAt: Date; id: string };
  }): Promise<WebhookDeliveryRecord[]> {
    return this.tx.webhookDelivery.findMany({
      select: deliverySelect,
      where: {
        endpointId: options.endpointId,
        ...(options.after
          ? {
              OR: [
                { createdAt: { lt: options.after.createdAt } },
                { createdAt: options.after.createdAt, id: { lt: options.after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.limit,
    });
  }

  /**
   * Sends a delivery again now (the "resend" of the log): back to pending with an outbox row for
   * its next attempt. Returns null when there is no such delivery; 'endpoint-disabled' when its
   * endpoint is off (turn it on first).
   */
  async resendDelivery(
    id: string,
    now: Date,
    requestId: string | null,
  ): Promise<WebhookDeliveryRecord | 'endpoint-disabled' | null> {
    const delivery = await this.tx.webhookDelivery.findFirst({
      where: { id },
      select: { ...deliverySelect, vendorId: true, endpoint: { select: { enabled: true } } },
    });
    if (!delivery) return null;
    if (!delivery.endpoint.enabled) return 'endpoint-disabled';
    const updated = await this.tx.webhookDelivery.update({
      where: { id },
      data: { status: 'pending', nextAttemptAt: now },
      select: deliverySelect,
    });
    await new OutboxRepository(this.tx).enqueue({
      jobName: DELIVER_WEBHOOK_JOB,
      payload: { vendorId: delivery.vendorId, deliveryId: id, attempt: delivery.attempts + 1 },
      requestId,
    });
    return updated;
  }

  /** The delivery and its endpoint (with the stored secret), for the worker's attempt. */
  async findAttemptTarget(deliveryId: string): Promise<WebhookAttemptTarget | null> {
    const row = await this.tx.webhookDelivery.findFirst({
      where: { id: deliveryId },
      select: {
        ...deliverySelect,
        payload: true,
        endpoint: { select: { id: true, url: true, enabled: true, ...secretSelect } },
      },
    });
    if (!row) return null;
    const { endpoint, ...delivery } = row;
    return {
      delivery,
      endpoint: {
        id: endpoint.id,
        url: endpoint.url,
        enabled: endpoint.enabled,
        secret: storedSecretOf(endpoint),
      },
    };
  }

  /** Records a 2xx: the delivery succeeded and the endpoint's failure streak ends. */
  async recordSuccess(options: {
    deliveryId: string;
    endpointId: string;
    attempt: number;
    statusCode: number;
    now: Date;
  }): Promise<void> {
    await this.tx.webhookDelivery.update({
      where: { id: options.deliveryId },
      data: {
        status: 'succeeded',
        attempts: options.attempt,
        lastAttemptAt: options.now,
        lastStatusCode: options.statusCode,
        lastError: null,
        nextAttemptAt: null,
        succeededAt: options.now,
      },
    });
    await this.tx.webhookEndpoint.update({
      where: { id: options.endpointId },
      data: { consecutiveFailures: 0 },
    });
  }

  /**
   * Records a delivery that was not sent and will not be retried (the business's plan lacks
   * webhooks out): failed with the reason, without counting against the endpoint. A resend
   * after the plan changes sends it.
   */
  async recordNotSent(options: { deliveryId: string; reason: string }): Promise<void> {
    await this.tx.webhookDelivery.update({
      where: { id: options.deliveryId },
      data: {
        status: 'failed',
        lastStatusCode: null,
        lastError: options.reason,
        nextAttemptAt: null,
      },
    });
  }

  /**
   * Records a failed attempt. With `retryAt` the delivery stays pending and the next attempt is
   * an outbox row available then; without, it failed for good. Returns the endpoint's failure
   * streak after this attempt.
   */
  async recordFailure(options: {
    vendorId: string;
    deliveryId: string;
    endpointId: string;
    attempt: number;
    statusCode: number | null;
    error: string;
    now: Date;
    retryAt: Date | null;
  }): Promise<number> {
    await this.tx.webhookDelivery.update({
      where: { id: options.deliveryId },
      data: {
        status: options.retryAt ? 'pending' : 'failed',
        attempts: options.attempt,
        lastAttemptAt: options.now,
        lastStatusCode: options.statusCode,
        lastError: options.error.slice(0, 500),
        nextAttemptAt: options.retryAt,
      },
    });
    if (options.retryAt) {
      await new OutboxRepository(this.tx).enqueue({
        jobName: DELIVER_WEBHOOK_JOB,
        payload: {
          vendorId: options.vendorId,
          deliveryId: options.deliveryId,
          attempt: options.attempt + 1,
        },
        availableAt: options.retryAt,
      });
    }
    const endpoint = await this.tx.webhookEndpoint.update({
      where: { id: options.endpointId },
      data: { consecutiveFailures: { increment: 1 } },
      select: { consecutiveFailures: true },
    });
    return endpoint.consecutiveFailures;
  }

  /**
   * Turns an endpoint off after repeated failure, stops its pending deliveries and tells each
   * owner (one notification per endpoint and disable). Returns false when it was already off.
   */
  async disableEndpoint(options: {
    vendorId: string;
    endpointId: string;
    reason: string;
    now: Date;
  }): Promise<boolean> {
    const { count } = await this.tx.webhookEndpoint.updateMany({
      where: { id: options.endpointId, enabled: true },
      data: { enabled: false, disabledReason: options.reason, disabledAt: options.now },
    });
    if (count === 0) return false;
    const endpoint = await this.tx.webhookEndpoint.findFirstOrThrow({
      where: { id: options.endpointId },
      select: { url: true },
    });
    await this.tx.webhookDelivery.updateMany({
      where: { endpointId: options.endpointId, status: 'pending' },
      data: { status: 'failed', nextAttemptAt: null, lastError: options.reason },
    });
    const owners = await this.tx.membership.findMany({
      where: { role: 'OWNER' },
      select: { userId: true },
    });
    for (const owner of owners) {
      await this.tx.notification.createMany({
        data: [
          {
            vendorId: options.vendorId,
            userId: owner.userId,
            kind: 'webhook_endpoint_disabled',
            title: 'A webhook endpoint was turned off',
            body: `${endpoint.url} kept failing, so MarketPrep stopped sending to it (${options.reason}). Fix it, then turn it back on under Settings › Developers.`,
            data: { endpointId: options.endpointId },
            dedupeKey: `webhook-disabled:${options.endpointId}:${options.now.toISOString()}`,
          },
        ],
        skipDuplicates: true,
      });
    }
    return true;
  }
}
