-- Billing with Stripe (issue 17). The `subscriptions` table (one row per business, RLS forced since
-- the init) gains what the app needs to decide entitlements and the operators need for MRR:
-- the Stripe price, its interval and amount, and when the subscription became past_due (the
-- grace period runs from there).
ALTER TABLE "subscriptions"
  ADD COLUMN "price_id" TEXT,
  ADD COLUMN "interval" TEXT,
  ADD COLUMN "amount_cents" INTEGER,
  ADD COLUMN "currency" TEXT,
  ADD COLUMN "past_due_since" TIMESTAMPTZ(3),
  ADD CONSTRAINT "subscriptions_interval_check" CHECK ("interval" IN ('month', 'year')),
  ADD CONSTRAINT "subscriptions_amount_cents_check" CHECK ("amount_cents" >= 0);

-- Stripe webhooks name a customer, not a business: as for Square's merchant id
-- (*_square_external_account_lookup), the intake sets app.external_account_id (transaction-local)
-- only after the signature checked out, and this permissive FOR SELECT policy lets it find the
-- one subscription of that customer. Writes still need app.vendor_id.
CREATE POLICY stripe_customer_lookup ON "subscriptions" FOR SELECT
  USING (stripe_customer_id = nullif(current_setting('app.external_account_id', true), ''));

-- The operators' billing view and the /metrics counts read every business's plan and status,
-- platform-wide, through one SECURITY DEFINER function owned by the NOLOGIN monitor role (as
-- *_worker_active_vendors): business id, name, creation time and the subscription's billing
-- fields only, never tenant data. Businesses without a row are in their first (card-free) trial.
GRANT SELECT ON "vendors", "subscriptions" TO marketprep_monitor;
CREATE POLICY monitor_billing ON "vendors" FOR SELECT TO marketprep_monitor USING (true);
CREATE POLICY monitor_billing ON "subscriptions" FOR SELECT TO marketprep_monitor USING (true);

CREATE FUNCTION monitoring.billing_overview()
  RETURNS TABLE (
    vendor_id uuid,
    name text,
    is_demo boolean,
    vendor_created_at timestamptz,
    plan text,
    status text,
    "interval" text,
    amount_cents integer,
    trial_ends_at timestamptz,
    past_due_since timestamptz,
    has_stripe_subscription boolean
  )
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
  SELECT v.id, v.name, v.is_demo, v.created_at,
         s.plan, s.status::text, s."interval", s.amount_cents, s.trial_ends_at, s.past_due_since,
         s.stripe_subscription_id IS NOT NULL
    FROM public.vendors v
    LEFT JOIN public.subscriptions s ON s.vendor_id = v.id
   WHERE v.deleted_at IS NULL
   ORDER BY v.created_at, v.id;
$$;

ALTER FUNCTION monitoring.billing_overview() OWNER TO marketprep_monitor;
REVOKE ALL ON FUNCTION monitoring.billing_overview() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.billing_overview() TO marketprep_app;
