import {
  AuditRepository,
  WebhooksRepository,
  withTenant,
  type DatabaseClient,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
} from '@marketprep/db';
import {
  WebhookTargetRefusedError,
  checkWebhookUrl,
  generateWebhookSecret,
  type TokenCipher,
  type WebhookTargetPolicy,
} from '@marketprep/integrations';
import type { WebhookEventType } from '@marketprep/contracts';
import { z } from 'zod';
import { AppError } from '../../errors';
import { decodeCursor, toPage } from '../../lib/pagination';
import type { TenantContext } from '../../plugins/auth';
import type { PlanLimitCheck } from '../billing/plan-limits';

/** Keyset cursor of the webhook lists: `[createdAt ISO, id]`. */
const CursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

function afterOf(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  const decoded = decodeCursor(cursor, CursorSchema);
  return decoded ? { createdAt: new Date(decoded[0]), id: decoded[1] } : undefined;
}

const keyOf = (row: { createdAt: Date; id: string }) => [row.createdAt.toISOString(), row.id];

/** Webhooks out: endpoints of a business, their delivery log and "resend" (issue 20). */
export class WebhooksService {
  constructor(
    private readonly deps: {
      db: DatabaseClient;
      now: () => Date;
      /** Which URLs an endpoint may have (production: https, no private or loopback hosts). */
      target: WebhookTargetPolicy;
      /**
       * Seals signing secrets at rest (the TOKEN_ENCRYPTION_KEYS ring of the Square tokens); only
       * the worker opens them, to sign. Without it endpoints cannot be registered (503).
       */
      cipher?: TokenCipher;
      /** The plan's `webhookEndpoints` limit (billing); absent: unlimited. */
      limits?: PlanLimitCheck;
    },
  ) {}

  /**
   * Registers an endpoint; the signing secret is returned only here and stored only sealed.
   * Refused past the plan's endpoint limit (403 naming the plan that allows more).
   */
  async createEndpoint(
    tenant: TenantContext,
    input: { url: string; description?: string; events: WebhookEventType[] },
    requestId: string,
  ): Promise<{ record: WebhookEndpointRecord; secret: string }> {
    let url: URL;
    try {
      url = checkWebhookUrl(input.url, this.deps.target);
    } catch (error) {
      if (error instanceof WebhookTargetRefusedError) {
        throw new AppError('BAD_REQUEST', `This URL cannot receive webhooks: ${error.message}.`, [
          { path: 'url', message: error.message },
        ]);
      }
      throw error;
    }
    const { cipher } = this.deps;
    if (!cipher) {
      throw new AppError(
        'UNAVAILABLE',
        'Webhooks out are not configured on this server: their signing secrets need TOKEN_ENCRYPTION_KEYS.',
      );
    }
    await this.deps.limits?.assertCanAdd(tenant.vendorId, 'webhookEndpoints');
    const secret = generateWebhookSecret();
    const record = await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const created = await new WebhooksRepository(tx).createEndpoint({
        vendorId: tenant.vendorId,
        url: url.toString(),
        description: input.description ?? null,
        events: [...new Set(input.events)],
        secretEncrypted: cipher.encrypt(secret),
        encryptionKeyId: cipher.currentKeyId,
      });
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'webhook_endpoint.created',
        targetType: 'webhook_endpoint',
        targetId: created.id,
        requestId,
      });
      return created;
    });
    return { record, secret };
  }

  /** A page of the business's endpoints, newest first. */
  async listEndpoints(
    tenant: TenantContext,
    query: { limit: number; cursor?: string },
  ): Promise<{ data: WebhookEndpointRecord[]; nextCursor: string | null }> {
    const after = afterOf(query.cursor);
    const rows = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new WebhooksRepository(tx).listEndpoints({ limit: query.limit + 1, after }),
    );
    return toPage(rows, query.limit, keyOf);
  }

  /** One endpoint (404 when it is not this business's). */
  async getEndpoint(tenant: TenantContext, id: string): Promise<WebhookEndpointRecord> {
    const found = await withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new WebhooksRepository(tx).findEndpoint(id),
    );
    if (!found) throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
    return found;
  }

  /** Changes events or description, or turns the endpoint off / back on. */
  async updateEndpoint(
    tenant: TenantContext,
    id: string,
    change: { description?: string | null; events?: WebhookEventType[]; enabled?: boolean },
    requestId: string,
  ): Promise<WebhookEndpointRecord> {
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const updated = await new WebhooksRepository(tx).updateEndpoint(
        id,
        { ...change, ...(change.events ? { events: [...new Set(change.events)] } : {}) },
        this.deps.now(),
      );
      if (!updated) throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'webhook_endpoint.updated',
        targetType: 'webhook_endpoint',
        targetId: id,
        requestId,
      });
      return updated;
    });
  }

  /** Deletes an endpoint with its delivery log; pending attempts find nothing and stop. */
  async deleteEndpoint(tenant: TenantContext, id: string, requestId: string): Promise<void> {
    await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      if (!(await new WebhooksRepository(tx).deleteEndpoint(id))) {
        throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
      }
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: tenant.actorType,
        action: 'webhook_endpoint.deleted',
        targetType: 'webhook_endpoint',
        targetId: id,
        requestId,
      });
    });
  }

  /** A page of an endpoint's delivery log, newest first. */
  async listDeliveries(
    tenant: TenantContext,
    endpointId: string,
    query: { limit: number; cursor?: string },
  ): Promise<{ data: WebhookDeliveryRecord[]; nextCursor: string | null }> {
    const after = afterOf(query.cursor);
    const rows = await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const repo = new WebhooksRepository(tx);
      if (!(await repo.findEndpoint(endpointId))) {
        throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
      }
      return repo.listDeliveries({ endpointId, limit: query.limit + 1, after });
    });
    return toPage(rows, query.limit, keyOf);
  }

  /** Sends a delivery again now (same event id and body, a fresh signature). */
  async resendDelivery(
    tenant: TenantContext,
    id: string,
    requestId: string,
  ): Promise<WebhookDeliveryRecord> {
    return withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const result = await new WebhooksRepository(tx).resendDelivery(
        id,
        this.deps.now(),
        requestId,
      );
      if (result === null) throw new AppError('NOT_FOUND', 'No such webhook delivery.');
      if (result === 'endpoint-disabled') {
        throw new AppError(
          'CONFLICT',
          'This endpoint is turned off. Turn it back on first, then resend.',
        );
      }
      return result;
    });
  }
}
