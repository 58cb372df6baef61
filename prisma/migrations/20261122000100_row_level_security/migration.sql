-- Tenant isolation in the database (DESIGN.md "Tenancy and security").
--
-- The app's requests run as `marketprep_app`: a role that owns nothing, is not superuser and has no
-- BYPASSRLS. Every table with a vendor_id has row-level security ENABLED and FORCED, with one policy
-- that compares vendor_id to the transaction-local setting `app.vendor_id` (set by withTenant in
-- packages/db). With no tenant set the setting is '' or missing, nullif turns it into NULL, and the
-- comparison is never true: a query that forgot its tenant returns nothing and an insert is refused
-- (rather than a cast error, or every row).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'marketprep_app') THEN
    CREATE ROLE marketprep_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;

-- The migrating role must be able to become the app role (connections use `-c role=marketprep_app`).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'marketprep_app', 'MEMBER') THEN
    EXECUTE format('GRANT marketprep_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO marketprep_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO marketprep_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO marketprep_app;
-- Tables created by later migrations get the same grants; they still need their own RLS statements.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO marketprep_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO marketprep_app;

-- The audit trail is append-only.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM marketprep_app;

-- The vendor row itself: visible and writable only as the current tenant.
ALTER TABLE "vendors" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "vendors" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "vendors"
  USING (id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "api_tokens" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_tokens" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "api_tokens"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "audit_log"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "daily_sales" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "daily_sales" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "daily_sales"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "data_export_requests" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "data_export_requests" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "data_export_requests"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "erasure_requests" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "erasure_requests" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "erasure_requests"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "events"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "feedback" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "feedback" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "feedback"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "invitations"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "market_days" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "market_days" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "market_days"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "market_schedules" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "market_schedules" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "market_schedules"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "markets" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "markets" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "markets"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "memberships"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "model_versions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "model_versions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "model_versions"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notifications"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "products" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "products" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "products"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "provider_connections" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "provider_connections" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "provider_connections"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "recommendation_lines" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "recommendation_lines" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "recommendation_lines"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "recommendations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "recommendations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "recommendations"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "sales" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "sales_imports" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_imports" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_imports"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "subscriptions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "subscriptions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "subscriptions"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "weather" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "weather" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "weather"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);
