/**
 * packages/db: the only package that touches Prisma. Client factory, tenant-scoped transactions
 * (row-level security), repositories, the migration runner and the embedded PostgreSQL launcher.
 */
export { APP_ROLE, createDatabaseClient } from './client';
export type { DatabaseClient, DatabaseClientOptions } from './client';
export { InvalidTenantError, withScope, withTenant } from './tenant';
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
export { SessionsRepository } from './repositories/sessions.repository';
export { DEMO_LOGIN, DEMO_VENDOR_ID, seedDemoVendor } from './seed/seed-demo';
export type { SeedDemoOptions, SeedDemoResult } from './seed/seed-demo';
export { UsersRepository } from './repositories/users.repository';
export type { UserRecord } from './repositories/users.repository';
export type { SessionRecord } from './repositories/sessions.repository';
export { PasswordResetsRepository } from './repositories/password-resets.repository';
export { MembershipsRepository } from './repositories/memberships.repository';
export type { MemberRecord, MembershipSummary, Role } from './repositories/memberships.repository';
export { ApiTokensRepository } from './repositories/api-tokens.repository';
export type { ApiTokenRecord } from './repositories/api-tokens.repository';
export { InvitationsRepository } from './repositories/invitations.repository';
export type { InvitationRecord } from './repositories/invitations.repository';
export { AuditRepository } from './repositories/audit.repository';
export type { AuditEntry } from './repositories/audit.repository';
