-- Lookups that must happen before the tenant is known, without any bypass of row-level security.
--
-- Each policy below reveals only rows the caller already proves a claim to, through a
-- transaction-local setting the API sets after authenticating:
--   app.user_id     the signed-in user: their own memberships, and the vendors they belong to;
--   app.token_hash  the SHA-256 of a presented secret: the one API token or invitation it names.
-- Policies are permissive (OR-ed with tenant_isolation) and FOR SELECT only: writes still need the
-- tenant, so none of these settings lets a request change another vendor's rows.

CREATE POLICY member_lookup ON "memberships" FOR SELECT
  USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);

CREATE POLICY member_lookup ON "vendors" FOR SELECT
  USING (id IN (SELECT m.vendor_id FROM "memberships" m
                WHERE m.user_id = nullif(current_setting('app.user_id', true), '')::uuid));

CREATE POLICY token_lookup ON "api_tokens" FOR SELECT
  USING (token_hash = nullif(current_setting('app.token_hash', true), ''));

CREATE POLICY token_lookup ON "invitations" FOR SELECT
  USING (token_hash = nullif(current_setting('app.token_hash', true), ''));
