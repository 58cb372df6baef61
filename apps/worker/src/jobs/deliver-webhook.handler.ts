import { WebhooksRepository, withTenant, type DatabaseClient } from '@marketprep/db';
import {
  sendWebhook,
  signWebhookBody,
  type TokenCipher,
  type WebhookTargetPolicy,
} from '@marketprep/integrations';
import type { PlansConfig } from '@marketprep/planning';
import { deliverWebhookJob } from './deliver-webhook.job';
import { parsePayload, type JobHandler } from './job';
import { vendorHasFeature } from './plan-features';
import { openWebhookSecret, resealWebhookSecret } from './webhook-secrets';

/** The retry schedule of a delivery and when an endpoint is turned off. */
export interface WebhookRetryPolicy {
  /** Wait after the first failed attempt; doubles each time (default 1 minute). */
  baseMs: number;
  /** Longest wait between attempts (default 1 hour). */
  maxMs: number;
  /** A delivery is retried this long after the event, then fails for good (default 3 days). */
  windowMs: number;
  /** Failed attempts in a row (across deliveries) that turn an endpoint off (default 100). */
  disableAfterFailures: number;
}

/** Stripe-like: 1, 2, 4, ... minutes, then hourly, for 3 days. */
export const DEFAULT_WEBHOOK_RETRY_POLICY: WebhookRetryPolicy = {
  baseMs: 60_000,
  maxMs: 3_600_000,
  windowMs: 3 * 24 * 3_600_000,
  disableAfterFailures: 100,
};

/**
 * When attempt `attempt` (1-based, just failed) is retried, or null when the next try would fall
 * past the delivery's window. `random` in [0,1) spreads retries by up to +/-10%.
 */
export function nextAttemptAt(options: {
  attempt: number;
  createdAt: Date;
  now: Date;
  policy: WebhookRetryPolicy;
  random?: number;
}): Date | null {
  const { attempt, createdAt, now, policy } = options;
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jitter = 0.9 + 0.2 * (options.random ?? Math.random());
  const at = new Date(now.getTime() + step * jitter);
  return at.getTime() > createdAt.getTime() + policy.windowMs ? null : at;
}

/**
 * Builds the deliver-webhook handler: loads the delivery and its endpoint, POSTs the event with
 * its `MarketPrep-Signature`, and records the outcome in one transaction: success ends the
 * endpoint's failure streak; a failure schedules the next attempt (an outbox row) or, past the
 * window, fails the delivery and turns the endpoint off with a notice to each owner; so does a
 * streak of `disableAfterFailures` failed attempts.
 *
 * The endpoint's secret is stored sealed (TOKEN_ENCRYPTION_KEYS) and opened only here, to sign;
 * one still in clear or sealed with an older key is sealed with the current key as the attempt is
 * recorded. A business whose plan lacks webhooks out (billing on) gets nothing sent: the
 * delivery fails at once, saying why, without counting against the endpoint.
 */
export function createDeliverWebhookHandler(deps: {
  db: DatabaseClient;
  now: () => Date;
  target: WebhookTargetPolicy;
  retry?: Partial<WebhookRetryPolicy>;
  timeoutMs?: number;
  /** Opens the sealed secrets; without it only legacy clear secrets can sign (the job throws). */
  cipher?: TokenCipher;
  /** The plans when billing is on: the plan must include `webhooks-out`. */
  plans?: PlansConfig;
}): JobHandler {
  const policy = { ...DEFAULT_WEBHOOK_RETRY_POLICY, ...deps.retry };
  return async (payload, context) => {
    const job = parsePayload(deliverWebhookJob, payload);
    const found = await withTenant(deps.db.prisma, job.vendorId, (tx) =>
      new WebhooksRepository(tx).findAttemptTarget(job.deliveryId),
    );
    if (!found) return { skipped: 'delivery-gone' };
    const { delivery, endpoint } = found;
    if (delivery.status === 'succeeded' || delivery.attempts >= job.attempt) {
      return { skipped: 'attempt-already-recorded' };
    }
    if (!endpoint.enabled) return { skipped: 'endpoint-disabled' };
    if (!(await vendorHasFeature(deps, job.vendorId, 'webhooks-out'))) {
      await withTenant(deps.db.prisma, job.vendorId, (tx) =>
        new WebhooksRepository(tx).recordNotSent({
          deliveryId: delivery.id,
          reason: 'Not sent: the plan does not include webhooks out.',
        }),
      );
      return { skipped: 'plan-lacks-webhooks-out' };
    }

    // Thrown (not recorded) when the key ring is missing or lacks the key: the runtime retries
    // the job while an operator fixes the worker's configuration; the endpoint is not blamed.
    const secret = openWebhookSecret(endpoint.secret, deps.cipher);
    const body = JSON.stringify(delivery.payload);
    const sentAt = deps.now();
    const result = await sendWebhook({
      url: endpoint.url,
      body,
      policy: deps.target,
      timeoutMs: deps.timeoutMs,
      headers: {
        'marketprep-signature': signWebhookBody(secret, body, sentAt.getTime() / 1000),
        'marketprep-event-id': delivery.eventId,
        'marketprep-event-type': delivery.eventType,
        'marketprep-delivery-attempt': String(job.attempt),
      },
    });
    const now = deps.now();
    return withTenant(deps.db.prisma, job.vendorId, async (tx) => {
      const repo = new WebhooksRepository(tx);
      if (deps.cipher) {
        await resealWebhookSecret(repo, {
          endpointId: endpoint.id,
          stored: endpoint.secret,
          secret,
          cipher: deps.cipher,
        });
      }
      if (result.ok) {
        await repo.recordSuccess({
          deliveryId: delivery.id,
          endpointId: endpoint.id,
          attempt: job.attempt,
          statusCode: result.statusCode,
          now,
        });
        return { delivered: true, statusCode: result.statusCode };
      }
      const retryAt = nextAttemptAt({
        attempt: job.attempt,
        createdAt: delivery.createdAt,
        now,
        policy,
      });
      const error = result.error ?? `HTTP ${String(result.statusCode)}`;
      const streak = await repo.recordFailure({
        vendorId: job.vendorId,
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        attempt: job.attempt,
        statusCode: result.statusCode,
        error,
        now,
        retryAt,
      });
      const reason = !retryAt
        ? 'a delivery kept failing for 3 days'
        : streak >= policy.disableAfterFailures
          ? `${streak} failed attempts in a row`
          : undefined;
      if (reason) {
        await repo.disableEndpoint({
          vendorId: job.vendorId,
          endpointId: endpoint.id,
          reason,
          now,
        });
        context.logger?.warn({ endpointId: endpoint.id, reason }, 'webhook endpoint turned off');
      }
      return { delivered: false, error, retryAt: retryAt?.toISOString() ?? null };
    });
  };
}
