-- Square webhooks name a merchant, not a vendor: the intake must find the one connection with that
-- merchant id before it knows the tenant, without any bypass of row-level security.
--
-- app.external_account_id is set (transaction-local) only after the webhook's signature checked
-- out, so it is a claim Square vouched for. The policy is permissive (OR-ed with
-- tenant_isolation) and FOR SELECT only: writes still need app.vendor_id.

CREATE POLICY external_account_lookup ON "provider_connections" FOR SELECT
  USING (external_account_id = nullif(current_setting('app.external_account_id', true), ''));
