-- MarketPrep's data model (prisma/schema.prisma), as reviewed SQL in Prisma Migrate's layout.
-- Row-level security and the app role are the next migration; check constraints close this one.

-- CreateEnum
CREATE TYPE "member_role" AS ENUM ('OWNER', 'STAFF');

-- CreateEnum
CREATE TYPE "market_day_status" AS ENUM ('SCHEDULED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "sales_source" AS ENUM ('SQUARE', 'CSV', 'MANUAL', 'DEMO');

-- CreateEnum
CREATE TYPE "sale_state" AS ENUM ('COMPLETED', 'REFUNDED', 'CANCELED');

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('PREVIEWED', 'COMMITTED', 'FAILED');

-- CreateEnum
CREATE TYPE "weather_provider" AS ENUM ('NWS', 'OPEN_METEO', 'CLIMATOLOGY', 'DEMO');

-- CreateEnum
CREATE TYPE "weather_kind" AS ENUM ('FORECAST', 'OBSERVED');

-- CreateEnum
CREATE TYPE "event_source" AS ENUM ('TICKETMASTER', 'VENDOR');

-- CreateEnum
CREATE TYPE "model_status" AS ENUM ('TRAINING', 'ACTIVE', 'RETIRED', 'FAILED');

-- CreateEnum
CREATE TYPE "recommendation_status" AS ENUM ('CURRENT', 'SUPERSEDED');

-- CreateEnum
CREATE TYPE "provider" AS ENUM ('SQUARE', 'STRIPE');

-- CreateEnum
CREATE TYPE "connection_status" AS ENUM ('ACTIVE', 'REFRESH_FAILED', 'ERROR', 'REVOKED');

-- CreateEnum
CREATE TYPE "subscription_status" AS ENUM ('TRIALING', 'ACTIVE', 'PAST_DUE', 'UNPAID', 'CANCELED', 'INCOMPLETE', 'INCOMPLETE_EXPIRED', 'PAUSED');

-- CreateEnum
CREATE TYPE "outbox_status" AS ENUM ('PENDING', 'DISPATCHED', 'FAILED');

-- CreateEnum
CREATE TYPE "request_status" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'EXPIRED');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "email_verified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_admins" (
    "user_id" UUID NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_admins_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "active_vendor_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "password_reset_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "password_reset_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vendors" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'America/New_York',
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "vendors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "member_role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "member_role" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_user_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "created_by_user_id" UUID,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "markets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "latitude" DECIMAL(9,6) NOT NULL,
    "longitude" DECIMAL(9,6) NOT NULL,
    "timezone" TEXT NOT NULL,
    "country_code" CHAR(2) NOT NULL,
    "region_code" TEXT,
    "booth_fee_minor" INTEGER NOT NULL DEFAULT 0,
    "square_location_id" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "markets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "market_schedules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_id" UUID NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "opens_at" TIME(0) NOT NULL,
    "closes_at" TIME(0) NOT NULL,
    "season_from" DATE,
    "season_to" DATE,

    CONSTRAINT "market_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "market_days" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "status" "market_day_status" NOT NULL DEFAULT 'SCHEDULED',
    "opens_at" TIMESTAMPTZ(3),
    "closes_at" TIMESTAMPTZ(3),
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "market_days_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT 'each',
    "category" TEXT,
    "price_minor" INTEGER NOT NULL,
    "unit_cost_minor" INTEGER NOT NULL DEFAULT 0,
    "salvage_value_minor" INTEGER NOT NULL DEFAULT 0,
    "shelf_life_days" INTEGER,
    "expected_daily_units" DECIMAL(12,3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "square_item_id" TEXT,
    "square_variation_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_imports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" "import_status" NOT NULL DEFAULT 'PREVIEWED',
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "report" JSONB,
    "created_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "committed_at" TIMESTAMPTZ(3),

    CONSTRAINT "sales_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "source" "sales_source" NOT NULL,
    "provider_order_id" TEXT NOT NULL,
    "provider_line_id" TEXT NOT NULL,
    "import_id" UUID,
    "sold_at" TIMESTAMPTZ(3) NOT NULL,
    "market_date" DATE NOT NULL,
    "quantity" DECIMAL(12,3) NOT NULL,
    "refunded_quantity" DECIMAL(12,3) NOT NULL DEFAULT 0,
    "unit_price_minor" INTEGER,
    "gross_minor" BIGINT NOT NULL DEFAULT '0',
    "state" "sale_state" NOT NULL DEFAULT 'COMPLETED',
    "provider_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sales_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "daily_sales" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "quantity" DECIMAL(12,3) NOT NULL,
    "revenue_minor" BIGINT NOT NULL DEFAULT '0',
    "line_count" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "daily_sales_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "weather" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "provider" "weather_provider" NOT NULL,
    "kind" "weather_kind" NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,
    "temp_max_c" DECIMAL(5,2),
    "temp_min_c" DECIMAL(5,2),
    "temp_mean_c" DECIMAL(5,2),
    "precip_mm" DECIMAL(7,2),
    "precip_prob" DECIMAL(4,3),
    "sunshine_hours" DECIMAL(5,2),
    "wind_kph" DECIMAL(6,2),
    "cloud_cover_pct" DECIMAL(5,2),
    "humidity_pct" DECIMAL(5,2),
    "summary" TEXT,

    CONSTRAINT "weather_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_id" UUID,
    "source" "event_source" NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "venue_name" TEXT,
    "distance_km" DECIMAL(7,2),
    "expected_attendance" INTEGER,
    "category" TEXT,
    "url" TEXT,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "engine_version" TEXT NOT NULL,
    "status" "model_status" NOT NULL DEFAULT 'TRAINING',
    "trained_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trained_through" DATE,
    "observation_count" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "model" JSONB,
    "metrics" JSONB,
    "error" TEXT,

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recommendations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_id" UUID NOT NULL,
    "market_day_id" UUID NOT NULL,
    "model_version_id" UUID,
    "status" "recommendation_status" NOT NULL DEFAULT 'CURRENT',
    "trigger" TEXT NOT NULL,
    "inputs_hash" TEXT NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sales_as_of" TIMESTAMPTZ(3),
    "weather_as_of" TIMESTAMPTZ(3),
    "events_as_of" TIMESTAMPTZ(3),

    CONSTRAINT "recommendations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recommendation_lines" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "recommendation_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "q10" DECIMAL(12,3) NOT NULL,
    "q50" DECIMAL(12,3) NOT NULL,
    "q90" DECIMAL(12,3) NOT NULL,
    "critical_ratio" DECIMAL(5,4) NOT NULL,
    "q_critical" DECIMAL(12,3) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "override_quantity" INTEGER,
    "overridden_by_user_id" UUID,
    "expected_sold" DECIMAL(12,3) NOT NULL,
    "expected_revenue_minor" BIGINT NOT NULL,
    "model_rung" TEXT NOT NULL,
    "data_sufficiency" TEXT NOT NULL,
    "explanation" JSONB NOT NULL,

    CONSTRAINT "recommendation_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "market_day_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "brought" DECIMAL(12,3) NOT NULL,
    "sold" DECIMAL(12,3),
    "left_over" DECIMAL(12,3) NOT NULL DEFAULT 0,
    "wasted" DECIMAL(12,3) NOT NULL DEFAULT 0,
    "donated" DECIMAL(12,3) NOT NULL DEFAULT 0,
    "sold_out_at" TIMESTAMPTZ(3),
    "rating" SMALLINT,
    "notes" TEXT,
    "client_submission_id" TEXT,
    "submitted_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_connections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "provider" "provider" NOT NULL,
    "status" "connection_status" NOT NULL DEFAULT 'ACTIVE',
    "external_account_id" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "access_token_encrypted" BYTEA,
    "refresh_token_encrypted" BYTEA,
    "encryption_key_id" TEXT,
    "token_expires_at" TIMESTAMPTZ(3),
    "last_refreshed_at" TIMESTAMPTZ(3),
    "sync_cursor" JSONB,
    "backfill_completed_at" TIMESTAMPTZ(3),
    "last_synced_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider" "provider" NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "external_account_id" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "payload" JSONB NOT NULL,

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "stripe_customer_id" TEXT,
    "stripe_subscription_id" TEXT,
    "plan" TEXT NOT NULL,
    "status" "subscription_status" NOT NULL,
    "trial_ends_at" TIMESTAMPTZ(3),
    "current_period_end" TIMESTAMPTZ(3),
    "cancel_at_period_end" BOOLEAN NOT NULL DEFAULT false,
    "stripe_event_created_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "job_name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "dedupe_key" TEXT,
    "status" "outbox_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "user_id" UUID,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "data" JSONB,
    "dedupe_key" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "vendor_id" UUID NOT NULL,
    "actor_user_id" UUID,
    "actor_type" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "ip" TEXT,
    "request_id" TEXT,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_export_requests" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "requested_by_user_id" UUID,
    "status" "request_status" NOT NULL DEFAULT 'PENDING',
    "format" TEXT NOT NULL DEFAULT 'zip',
    "location" TEXT,
    "size_bytes" BIGINT,
    "error" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "data_export_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "erasure_requests" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "requested_by_user_id" UUID,
    "status" "request_status" NOT NULL DEFAULT 'PENDING',
    "scheduled_for" TIMESTAMPTZ(3) NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "erasure_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "password_reset_tokens_token_hash_key" ON "password_reset_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "password_reset_tokens_user_id_idx" ON "password_reset_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "vendors_slug_key" ON "vendors"("slug");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_vendor_id_user_id_key" ON "memberships"("vendor_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_vendor_id_idx" ON "invitations"("vendor_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_vendor_id_idx" ON "api_tokens"("vendor_id");

-- CreateIndex
CREATE UNIQUE INDEX "markets_vendor_id_name_key" ON "markets"("vendor_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "markets_vendor_id_square_location_id_key" ON "markets"("vendor_id", "square_location_id");

-- CreateIndex
CREATE UNIQUE INDEX "markets_vendor_id_id_key" ON "markets"("vendor_id", "id");

-- CreateIndex
CREATE INDEX "market_schedules_market_id_idx" ON "market_schedules"("market_id");

-- CreateIndex
CREATE INDEX "market_schedules_vendor_id_idx" ON "market_schedules"("vendor_id");

-- CreateIndex
CREATE INDEX "market_days_vendor_id_date_idx" ON "market_days"("vendor_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "market_days_market_id_date_key" ON "market_days"("market_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "market_days_vendor_id_id_key" ON "market_days"("vendor_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "products_vendor_id_name_key" ON "products"("vendor_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "products_vendor_id_square_variation_id_key" ON "products"("vendor_id", "square_variation_id");

-- CreateIndex
CREATE UNIQUE INDEX "products_vendor_id_id_key" ON "products"("vendor_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_imports_vendor_id_file_sha256_key" ON "sales_imports"("vendor_id", "file_sha256");

-- CreateIndex
CREATE INDEX "sales_vendor_id_market_id_market_date_idx" ON "sales"("vendor_id", "market_id", "market_date");

-- CreateIndex
CREATE INDEX "sales_product_id_market_date_idx" ON "sales"("product_id", "market_date");

-- CreateIndex
CREATE UNIQUE INDEX "sales_vendor_id_source_provider_line_id_key" ON "sales"("vendor_id", "source", "provider_line_id");

-- CreateIndex
CREATE INDEX "daily_sales_vendor_id_date_idx" ON "daily_sales"("vendor_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "daily_sales_market_id_product_id_date_key" ON "daily_sales"("market_id", "product_id", "date");

-- CreateIndex
CREATE INDEX "weather_vendor_id_date_idx" ON "weather"("vendor_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "weather_market_id_date_provider_kind_key" ON "weather"("market_id", "date", "provider", "kind");

-- CreateIndex
CREATE INDEX "events_market_id_date_idx" ON "events"("market_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "events_vendor_id_source_external_id_key" ON "events"("vendor_id", "source", "external_id");

-- CreateIndex
CREATE INDEX "model_versions_vendor_id_trained_at_idx" ON "model_versions"("vendor_id", "trained_at");

-- CreateIndex
CREATE INDEX "recommendations_market_day_id_generated_at_idx" ON "recommendations"("market_day_id", "generated_at");

-- CreateIndex
CREATE INDEX "recommendations_vendor_id_idx" ON "recommendations"("vendor_id");

-- CreateIndex
CREATE UNIQUE INDEX "recommendations_vendor_id_id_key" ON "recommendations"("vendor_id", "id");

-- CreateIndex
CREATE INDEX "recommendation_lines_vendor_id_idx" ON "recommendation_lines"("vendor_id");

-- CreateIndex
CREATE UNIQUE INDEX "recommendation_lines_recommendation_id_product_id_key" ON "recommendation_lines"("recommendation_id", "product_id");

-- CreateIndex
CREATE INDEX "feedback_vendor_id_created_at_idx" ON "feedback"("vendor_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_market_day_id_product_id_key" ON "feedback"("market_day_id", "product_id");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_vendor_id_client_submission_id_key" ON "feedback"("vendor_id", "client_submission_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_connections_vendor_id_provider_key" ON "provider_connections"("vendor_id", "provider");

-- CreateIndex
CREATE UNIQUE INDEX "provider_connections_provider_external_account_id_key" ON "provider_connections"("provider", "external_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_provider_event_id_key" ON "webhook_events"("provider", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_vendor_id_key" ON "subscriptions"("vendor_id");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_stripe_customer_id_key" ON "subscriptions"("stripe_customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_stripe_subscription_id_key" ON "subscriptions"("stripe_subscription_id");

-- CreateIndex
CREATE INDEX "outbox_status_available_at_idx" ON "outbox"("status", "available_at");

-- CreateIndex
CREATE INDEX "notifications_vendor_id_created_at_idx" ON "notifications"("vendor_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_vendor_id_dedupe_key_key" ON "notifications"("vendor_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "audit_log_vendor_id_created_at_idx" ON "audit_log"("vendor_id", "created_at");

-- CreateIndex
CREATE INDEX "data_export_requests_vendor_id_idx" ON "data_export_requests"("vendor_id");

-- CreateIndex
CREATE INDEX "erasure_requests_vendor_id_idx" ON "erasure_requests"("vendor_id");

-- AddForeignKey
ALTER TABLE "platform_admins" ADD CONSTRAINT "platform_admins_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "markets" ADD CONSTRAINT "markets_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "market_schedules" ADD CONSTRAINT "market_schedules_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "market_schedules" ADD CONSTRAINT "market_schedules_vendor_id_market_id_fkey" FOREIGN KEY ("vendor_id", "market_id") REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "market_days" ADD CONSTRAINT "market_days_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "market_days" ADD CONSTRAINT "market_days_vendor_id_market_id_fkey" FOREIGN KEY ("vendor_id", "market_id") REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products" ADD CONSTRAINT "products_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_imports" ADD CONSTRAINT "sales_imports_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales" ADD CONSTRAINT "sales_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales" ADD CONSTRAINT "sales_vendor_id_market_id_fkey" FOREIGN KEY ("vendor_id", "market_id") REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales" ADD CONSTRAINT "sales_vendor_id_product_id_fkey" FOREIGN KEY ("vendor_id", "product_id") REFERENCES "products"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales" ADD CONSTRAINT "sales_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "sales_imports"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_sales" ADD CONSTRAINT "daily_sales_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_sales" ADD CONSTRAINT "daily_sales_vendor_id_market_id_fkey" FOREIGN KEY ("vendor_id", "market_id") REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_sales" ADD CONSTRAINT "daily_sales_vendor_id_product_id_fkey" FOREIGN KEY ("vendor_id", "product_id") REFERENCES "products"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "weather" ADD CONSTRAINT "weather_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "weather" ADD CONSTRAINT "weather_vendor_id_market_id_fkey" FOREIGN KEY ("vendor_id", "market_id") REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_vendor_id_market_id_fkey" FOREIGN KEY ("vendor_id", "market_id") REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_vendor_id_market_id_fkey" FOREIGN KEY ("vendor_id", "market_id") REFERENCES "markets"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_vendor_id_market_day_id_fkey" FOREIGN KEY ("vendor_id", "market_day_id") REFERENCES "market_days"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation_lines" ADD CONSTRAINT "recommendation_lines_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation_lines" ADD CONSTRAINT "recommendation_lines_vendor_id_recommendation_id_fkey" FOREIGN KEY ("vendor_id", "recommendation_id") REFERENCES "recommendations"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation_lines" ADD CONSTRAINT "recommendation_lines_vendor_id_product_id_fkey" FOREIGN KEY ("vendor_id", "product_id") REFERENCES "products"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_vendor_id_market_day_id_fkey" FOREIGN KEY ("vendor_id", "market_day_id") REFERENCES "market_days"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_vendor_id_product_id_fkey" FOREIGN KEY ("vendor_id", "product_id") REFERENCES "products"("vendor_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_connections" ADD CONSTRAINT "provider_connections_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_export_requests" ADD CONSTRAINT "data_export_requests_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invariants the application relies on, enforced where no code path can skip them.
ALTER TABLE "users" ADD CONSTRAINT "users_email_lowercase_check" CHECK ("email" = lower("email"));
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "markets" ADD CONSTRAINT "markets_latitude_check" CHECK ("latitude" BETWEEN -90 AND 90);
ALTER TABLE "markets" ADD CONSTRAINT "markets_longitude_check" CHECK ("longitude" BETWEEN -180 AND 180);
ALTER TABLE "markets" ADD CONSTRAINT "markets_booth_fee_check" CHECK ("booth_fee_minor" >= 0);
ALTER TABLE "market_schedules" ADD CONSTRAINT "market_schedules_weekday_check" CHECK ("weekday" BETWEEN 0 AND 6);
ALTER TABLE "products" ADD CONSTRAINT "products_money_check" CHECK ("price_minor" >= 0 AND "unit_cost_minor" >= 0 AND "salvage_value_minor" >= 0);
ALTER TABLE "products" ADD CONSTRAINT "products_shelf_life_check" CHECK ("shelf_life_days" IS NULL OR "shelf_life_days" >= 0);
ALTER TABLE "sales" ADD CONSTRAINT "sales_refund_check" CHECK ("refunded_quantity" >= 0);
ALTER TABLE "daily_sales" ADD CONSTRAINT "daily_sales_quantity_check" CHECK ("quantity" >= 0);
ALTER TABLE "weather" ADD CONSTRAINT "weather_precip_prob_check" CHECK ("precip_prob" IS NULL OR "precip_prob" BETWEEN 0 AND 1);
ALTER TABLE "recommendation_lines" ADD CONSTRAINT "recommendation_lines_quantity_check" CHECK ("quantity" >= 0 AND ("override_quantity" IS NULL OR "override_quantity" >= 0));
ALTER TABLE "recommendation_lines" ADD CONSTRAINT "recommendation_lines_quantiles_check" CHECK ("q10" <= "q50" AND "q50" <= "q90");
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_quantities_check" CHECK ("brought" >= 0 AND ("sold" IS NULL OR "sold" >= 0) AND "left_over" >= 0 AND "wasted" >= 0 AND "donated" >= 0);
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_rating_check" CHECK ("rating" IS NULL OR "rating" BETWEEN 1 AND 5);
