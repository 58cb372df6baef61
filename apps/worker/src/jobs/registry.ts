import type { DatabaseClient } from '@marketprep/db';
import { createBackgroundJobs } from './background-jobs';
import type { BackgroundDeps } from './background-deps';
import { createExpireSessionsHandler } from './expire-sessions.handler';
import { createExtendMarketCalendarsHandler } from './extend-market-calendars.handler';
import { extendMarketCalendarsJob } from './extend-market-calendars.job';
import { expireSessionsJob } from './expire-sessions.job';
import type { JobDefinition, JobHandler } from './job';
import { createEraseVendorHandler, type SubscriptionCanceller } from './erase-vendor.handler';
import { eraseVendorJob } from './erase-vendor.job';
import { createExportVendorHandler } from './export-vendor.handler';
import { exportVendorJob } from './export-vendor.job';
import { createReplayVendorHandler } from './replay-vendor.handler';
import { replayVendorJob } from './replay-vendor.job';
import {
  createRetentionHandler,
  type RetentionPolicy,
  type RetentionRule,
} from './retention.handler';
import { retentionJob } from './retention.job';
import { createSquareSyncHandler, type SquareSyncDeps } from './square-sync.handler';
import { squareSyncJob } from './square-sync.job';
import {
  createRefreshSquareTokenHandler,
  createRefreshSquareTokensHandler,
} from './refresh-square-tokens.handler';
import { refreshSquareTokenJob, refreshSquareTokensJob } from './refresh-square-tokens.job';
import type { z } from 'zod';
import type { PlansConfig } from '@marketprep/planning';
import { createBillingEmailHandler, type BillingMailer } from './billing-email.handler';
import { billingEmailJob } from './billing-email.job';
import { createAccountEmailHandler } from './account-email.handler';
import { accountEmailJob } from './account-email.job';
import { createBillingTrialSweepHandler } from './billing-trial-sweep.handler';
import { billingTrialSweepJob } from './billing-trial-sweep.job';
import { createWeekPlanDeadlinesHandler } from './week-plan-deadlines.handler';
import { weekPlanDeadlinesJob } from './week-plan-deadlines.job';
import {
  createDeliverEmailHandler,
  createDeliverPushHandler,
  type VapidConfig,
} from './deliver-alert.handler';
import { deliverEmailJob, deliverPushJob } from './deliver-alert.job';
import { createDeliverWebhookHandler, type WebhookRetryPolicy } from './deliver-webhook.handler';
import { deliverWebhookJob } from './deliver-webhook.job';
import { createResealWebhookSecretsHandler } from './reseal-webhook-secrets.handler';
import { resealWebhookSecretsJob } from './reseal-webhook-secrets.job';
import type { TokenCipher, WebhookTargetPolicy } from '@marketprep/integrations';

/** A definition with its handler, ready for either runtime. */
export interface RegisteredJob {
  definition: JobDefinition<z.ZodType>;
  handler: JobHandler;
}

/** Every job the worker runs. Later issues add sync, weather, prep-list and retrain jobs here. */
export function createJobRegistry(deps: {
  db: DatabaseClient;
  now: () => Date;
  /** Square client and token cipher; without them (Square not configured) no square-sync job. */
  square?: Omit<SquareSyncDeps, 'db' | 'now'>;
  /** Planner and provider clients: the weather, events, prep-list, retrain and alert jobs. */
  background?: Omit<BackgroundDeps, 'db' | 'now'>;
  /** Sends the billing emails (SMTP); without it they are logged, never lost in the outbox. */
  mailer?: BillingMailer;
  /**
   * Alert delivery (issue 19): VAPID keys (push off without them), loopback push endpoints (the
   * fake push service; never in production) and the web origin for links. Email uses `mailer`.
   */
  alerts?: { vapid?: VapidConfig; allowLoopbackPush: boolean; publicUrl?: string };
  /** The billing plans when billing is on (Stripe configured): the daily trial notices sweep. */
  billingPlans?: PlansConfig;
  /** Export archives, erasure and retention (issue 18); without it those jobs are not registered. */
  dataRights?: {
    exportDir: string;
    pseudonymKey: string;
    billing?: SubscriptionCanceller;
    retention?: Partial<RetentionPolicy>;
    onRetentionRemoved?: (rule: RetentionRule, count: number) => void;
  };
  /**
   * Webhooks out (issue 20): where deliveries may go and their retry schedule. Default: public
   * https addresses only, 3 days of retries.
   */
  webhooks?: {
    target: WebhookTargetPolicy;
    retry?: Partial<WebhookRetryPolicy>;
    timeoutMs?: number;
    /** TOKEN_ENCRYPTION_KEYS: opens the sealed signing secrets and re-seals them daily. */
    cipher?: TokenCipher;
  };
}): RegisteredJob[] {
  const alertDeps = {
    db: deps.db,
    now: deps.now,
    mailer: deps.mailer,
    vapid: deps.alerts?.vapid,
    allowLoopbackPush: deps.alerts?.allowLoopbackPush ?? false,
    publicUrl: deps.alerts?.publicUrl,
  };
  const jobs: RegisteredJob[] = [
    { definition: expireSessionsJob, handler: createExpireSessionsHandler(deps) },
    {
      definition: extendMarketCalendarsJob,
      handler: createExtendMarketCalendarsHandler({ db: deps.db, now: deps.now }),
    },
    // "Your last season, replayed" (issue 22): needs only the database.
    {
      definition: replayVendorJob,
      handler: createReplayVendorHandler({ db: deps.db, now: deps.now }),
    },
    {
      definition: billingEmailJob,
      handler: createBillingEmailHandler({ db: deps.db, mailer: deps.mailer }),
    },
    { definition: deliverEmailJob, handler: createDeliverEmailHandler(alertDeps) },
    // Sign-up links and password resets (issue 16), queued by the API when it has SMTP.
    {
      definition: accountEmailJob,
      handler: createAccountEmailHandler({
        db: deps.db,
        now: deps.now,
        mailer: deps.mailer,
        publicUrl: deps.alerts?.publicUrl,
      }),
    },
    { definition: deliverPushJob, handler: createDeliverPushHandler(alertDeps) },
    {
      definition: deliverWebhookJob,
      handler: createDeliverWebhookHandler({
        db: deps.db,
        now: deps.now,
        target: deps.webhooks?.target ?? { allowLoopback: false, requireHttps: true },
        retry: deps.webhooks?.retry,
        timeoutMs: deps.webhooks?.timeoutMs,
        cipher: deps.webhooks?.cipher,
        plans: deps.billingPlans,
      }),
    },
  ];
  if (deps.webhooks?.cipher) {
    jobs.push({
      definition: resealWebhookSecretsJob,
      handler: createResealWebhookSecretsHandler({ db: deps.db, cipher: deps.webhooks.cipher }),
    });
  }
  if (deps.billingPlans) {
    jobs.push({
      definition: billingTrialSweepJob,
      handler: createBillingTrialSweepHandler({
        db: deps.db,
        now: deps.now,
        plans: deps.billingPlans,
      }),
    });
  }
  if (deps.dataRights) {
    const rights = { db: deps.db, now: deps.now, exportDir: deps.dataRights.exportDir };
    jobs.push(
      { definition: exportVendorJob, handler: createExportVendorHandler(rights) },
      {
        definition: eraseVendorJob,
        handler: createEraseVendorHandler({
          ...rights,
          pseudonymKey: deps.dataRights.pseudonymKey,
          square: deps.square,
          billing: deps.dataRights.billing,
        }),
      },
      {
        definition: retentionJob,
        handler: createRetentionHandler({
          ...rights,
          policy: deps.dataRights.retention,
          onRemoved: deps.dataRights.onRetentionRemoved,
        }),
      },
    );
  }
  if (deps.square) {
    jobs.push({
      definition: squareSyncJob,
      handler: createSquareSyncHandler({
        ...deps.square,
        db: deps.db,
        now: deps.now,
        plans: deps.billingPlans,
      }),
    });
    const refreshDeps = { ...deps.square, db: deps.db, now: deps.now };
    jobs.push(
      {
        definition: refreshSquareTokensJob,
        handler: createRefreshSquareTokensHandler(refreshDeps),
      },
      { definition: refreshSquareTokenJob, handler: createRefreshSquareTokenHandler(refreshDeps) },
    );
  }
  if (deps.background) {
    jobs.push(
      // The week's plan reads the planner's prep lists, which the background deps also run.
      {
        definition: weekPlanDeadlinesJob,
        handler: createWeekPlanDeadlinesHandler({ db: deps.db, now: deps.now }),
      },
      ...createBackgroundJobs({
        ...deps.background,
        billingPlans: deps.billingPlans,
        db: deps.db,
        now: deps.now,
      }),
    );
  }
  return jobs;
}
