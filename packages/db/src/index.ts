/**
 * packages/db: the only package that touches Prisma. Client factory, tenant-scoped transactions
 * (row-level security), repositories, the migration runner and the embedded PostgreSQL launcher.
 */
export { APP_ROLE, createDatabaseClient } from './client';
export type { DatabaseClient, DatabaseClientOptions } from './client';
export { InvalidTenantError, withScope, withTenant } from './tenant';
export { readDataVersion, readUserDataVersion } from './data-version';
export type { DbScope, TenantTransaction, WithTenantOptions } from './tenant';
export { MIGRATION_LOCK_KEY, MigrationError, migrate, readMigrations } from './migrate/runner';
export type { MigrateOptions, MigrateResult, MigrationFile } from './migrate/runner';
export { startEmbeddedPostgres } from './embedded';
export type { EmbeddedPostgresHandle, EmbeddedPostgresOptions } from './embedded';
export { MIGRATIONS_DIR, REPO_ROOT } from './paths';
export { checkDatabase } from './health';
export type { DatabaseCheck } from './health';
export { MarketsRepository } from './repositories/markets.repository';
export type { MarketSummary } from './repositories/markets.repository';
export { InputHealthRepository } from './repositories/input-health.repository';
export type { InputHealthRecord } from './repositories/input-health.repository';
export { readMarketSaleTimes } from './repositories/sell-out.repository';
export type { MarketDaySaleTimes } from './repositories/sell-out.repository';
export { ReplayRunsRepository } from './repositories/replay-runs.repository';
export type { ReplayRunRecord } from './repositories/replay-runs.repository';
export { SessionsRepository } from './repositories/sessions.repository';
export { ADMIN_LOGIN, DEMO_LOGIN, DEMO_VENDOR_ID, seedDemoVendor } from './seed/seed-demo';
export type { SeedDemoOptions, SeedDemoResult } from './seed/seed-demo';
export { UsersRepository } from './repositories/users.repository';
export type { UserRecord } from './repositories/users.repository';
export type { SessionRecord } from './repositories/sessions.repository';
export { PasswordResetsRepository } from './repositories/password-resets.repository';
export { SignupRequestsRepository } from './repositories/signup-requests.repository';
export type { SignupRequestRecord } from './repositories/signup-requests.repository';
export {
  ACCOUNT_EMAIL_JOB,
  AccountEmailPayloadSchema,
  PASSWORD_RESET_TTL_MS,
  SIGNUP_LINK_TTL_MS,
  prepareAccountEmail,
} from './account-email';
export type { AccountEmailMessage, AccountEmailPayload } from './account-email';
export { MembershipsRepository } from './repositories/memberships.repository';
export type { MemberRecord, MembershipSummary, Role } from './repositories/memberships.repository';
export { ApiTokensRepository } from './repositories/api-tokens.repository';
export type { ApiTokenRecord } from './repositories/api-tokens.repository';
export { InvitationsRepository } from './repositories/invitations.repository';
export type { InvitationRecord } from './repositories/invitations.repository';
export { AuditLogRepository, AuditRepository } from './repositories/audit.repository';
export type { AuditEntry, AuditListOptions, AuditRecord } from './repositories/audit.repository';
export { DataExportsRepository, EXPORT_ENTITIES } from './repositories/data-exports.repository';
export type {
  DataExportRecord,
  DataRequestStatus,
  ExportEntity,
  ExportEntityName,
  ExportRow,
} from './repositories/data-exports.repository';
export {
  ERASED_TENANT_TABLES,
  ErasureRepository,
  KEPT_TENANT_TABLES,
} from './repositories/erasure.repository';
export type { ErasureRecord } from './repositories/erasure.repository';
export {
  PlatformRetentionRepository,
  TenantRetentionRepository,
} from './repositories/retention.repository';
export { AccountsRepository } from './repositories/accounts.repository';
export type { AccountDataRecord } from './repositories/accounts.repository';
export { ExportStorage } from './export-storage';
export { BillingRepository, listBillingOverview } from './repositories/billing.repository';
export type {
  BillingOverviewRow,
  BillingUsage,
  StoredSubscriptionStatus,
  SubscriptionRecord,
  SubscriptionStateWrite,
} from './repositories/billing.repository';
export { UniqueViolationError } from './repositories/markets.repository';
export type {
  MarketFields,
  MarketScheduleRecord,
  MarketSizeRecord,
  NameCursor,
} from './repositories/markets.repository';
export { MarketDaysRepository } from './repositories/market-days.repository';
export type {
  MarketDayRecord,
  MarketDayStatus,
  NewMarketDay,
} from './repositories/market-days.repository';
export { ProductsRepository } from './repositories/products.repository';
export type { ProductFields, ProductRecord } from './repositories/products.repository';
export { WeekPlanRepository } from './repositories/week-plan.repository';
export type {
  NewPreOrder,
  PreOrderRecord,
  WeekPlanFreezeRecord,
  WeekPlanInputs,
  WeekPlanOutlookRecord,
} from './repositories/week-plan.repository';
export type { ProductPlanningRecord } from './repositories/products.repository';
export { VendorSettingsRepository } from './repositories/vendor-settings.repository';
export {
  ALERT_CATEGORIES,
  AlertSettingsRepository,
  DEFAULT_ALERT_ROUTES,
  DEFAULT_OUTLOOK_CHANGE_THRESHOLD,
  DELIVERY_JOB_NAMES,
  NotificationDeliveriesRepository,
  PushSubscriptionsRepository,
  categorizeAlertKind,
  channelsForKind,
  enqueueNotificationDeliveries,
  isOutlookChangeSignificant,
} from './repositories/alert-delivery.repository';
export type {
  AlertCategory,
  AlertChannel,
  AlertRoutes,
  AlertSettingsRecord,
  OutlookChangeThreshold,
  PushSubscriptionRecord,
} from './repositories/alert-delivery.repository';
export type {
  TemperatureUnitRecord,
  VendorSettingsRecord,
} from './repositories/vendor-settings.repository';
export { NotificationsRepository } from './repositories/notifications.repository';
export type { NewNotification, NotificationRecord } from './repositories/notifications.repository';
export { OutboxRepository } from './repositories/outbox.repository';
export type { OutboxEnqueueResult, OutboxInsert } from './repositories/outbox.repository';
export { HealthRepository } from './repositories/health.repository';
export type {
  DataFreshness,
  OutboxBacklog,
  WorkerStatusRow,
} from './repositories/health.repository';
export { DemandInputsRepository } from './repositories/demand-inputs.repository';
export type {
  DemandEventRow,
  DemandFreshness,
  DemandHistory,
  DemandPreOrderRow,
  DemandMarketRow,
  DemandPlanInputs,
  DemandPlanMarket,
  DemandProductRow,
  DemandSalesRow,
  DemandWeatherRow,
} from './repositories/demand-inputs.repository';
export { ModelVersionsRepository } from './repositories/model-versions.repository';
export type { ModelVersionRecord } from './repositories/model-versions.repository';
export { PrepListsRepository } from './repositories/prep-lists.repository';
export type {
  NewPrepListLine,
  PrepListMarket,
  PlannedMarketDay,
  PrepListMarketDay,
  StoredPrepList,
  StoredPrepListLine,
} from './repositories/prep-lists.repository';
export {
  FeedbackRepository,
  findDailySales,
  findPrepListLines,
  isSoldOut,
} from './repositories/feedback.repository';
export type {
  CheckInDaySummary,
  CheckInMarket,
  CheckInMarketDay,
  CheckInProduct,
  CheckInStatsSums,
  DailySalesRecord,
  FeedbackRecord,
  FeedbackWrite,
  PrepListLine,
} from './repositories/feedback.repository';
export { InsightsRepository } from './repositories/insights.repository';
export type { WeatherDay } from './repositories/insights.repository';
export { ImportsRepository } from './repositories/imports.repository';
export { IdempotencyKeysRepository } from './repositories/idempotency-keys.repository';
export { SalesIntakeRepository } from './repositories/sales-intake.repository';
export type { ApiSaleLine, KnownCatalog } from './repositories/sales-intake.repository';
export type {
  IdempotencyClaim,
  IdempotencyClaimInput,
  StoredIdempotentResponse,
} from './repositories/idempotency-keys.repository';
export type {
  ImportedSaleLine,
  NamedRecord,
  SalesImportRecord,
  SalesImportStatus,
  SalesImportWrite,
} from './repositories/imports.repository';
export { SquareSyncRepository } from './repositories/square-sync.repository';
export type {
  ConnectionStatus,
  DailyKey,
  SquareConnectionRecord,
  SquareConnectionWrite,
  SquareReturnLine,
  SquareSaleLine,
} from './repositories/square-sync.repository';
export { WebhookEventsRepository } from './repositories/webhook-events.repository';
export type { WebhookEventWrite } from './repositories/webhook-events.repository';
export { OutboxRelayRepository } from './repositories/outbox-relay.repository';
export type { ClaimedOutboxRow, FailedOutboxRow } from './repositories/outbox-relay.repository';
export {
  BackgroundWorkRepository,
  listActiveVendorIds,
} from './repositories/background-work.repository';
export type {
  FailingConnection,
  ProviderEventWrite,
  StoredWeather,
  WeatherColumns,
  WeatherProviderName,
  WorkerMarket,
  WorkerMarketDay,
} from './repositories/background-work.repository';
export { advisoryLockKey, tenantSql } from './tenant';
export type { TenantSql } from './tenant';
export {
  PrepListReadsRepository,
  findPrepListState,
} from './repositories/prep-list-reads.repository';
export type { PrepListState } from './repositories/prep-list-reads.repository';
export {
  findCheckInContext,
  findCheckInContexts,
  readCheckInDayData,
  submitCheckIn,
  submitCheckIns,
} from './repositories/check-in-writes.repository';
export type {
  CheckInContext,
  CheckInContextQuery,
  CheckInDayData,
  CheckInSubmission,
  CheckInSubmissionInput,
} from './repositories/check-in-writes.repository';
export { EventsRepository } from './repositories/events.repository';
export type { EventRecord, EventSourceName, NewEvent } from './repositories/events.repository';
export {
  DELIVER_WEBHOOK_JOB,
  WebhooksRepository,
  emitWebhookEvent,
  listVendorIdsWithSecretsToReseal,
} from './repositories/webhooks.repository';
export type {
  StoredWebhookSecret,
  WebhookAttemptTarget,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
  WebhookEventInput,
} from './repositories/webhooks.repository';
