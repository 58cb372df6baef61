-- Alerts that reach the vendor (issue 19): which alert kinds go by email and Web Push, the
-- outlook-change threshold, the browsers subscribed to push, and one row per delivered
-- (notification, channel, recipient) so a retried delivery job sends nothing twice.
--
-- alert_settings: one row per business; no row = the defaults of AlertSettingsSchema
-- (packages/contracts/src/alerts.ts). `routes` is {"<category>": {"email": bool, "push": bool}}
-- for the categories the contracts name; in-app is always on and not stored.
CREATE TABLE "alert_settings" (
    "vendor_id" UUID NOT NULL,
    "routes" JSONB NOT NULL DEFAULT '{}',
    "outlook_threshold_mode" TEXT NOT NULL DEFAULT 'percent',
    "outlook_threshold_value" DECIMAL(10,2) NOT NULL DEFAULT 20,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_settings_pkey" PRIMARY KEY ("vendor_id"),
    CONSTRAINT "alert_settings_routes_check" CHECK (jsonb_typeof("routes") = 'object'),
    CONSTRAINT "alert_settings_threshold_check" CHECK (
      "outlook_threshold_mode" IN ('percent', 'units') AND "outlook_threshold_value" > 0
    )
);
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_vendor_id_fkey"
  FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A browser's Web Push subscription, per member. The endpoint is the push service's capability
-- URL; p256dh and auth are the browser's public key and secret for the aes128gcm payload.
CREATE TABLE "push_subscriptions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "endpoint" TEXT NOT NULL,
    "p256dh" TEXT NOT NULL,
    "auth" TEXT NOT NULL,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_success_at" TIMESTAMPTZ(3),

    CONSTRAINT "push_subscriptions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "push_subscriptions_vendor_id_endpoint_key" ON "push_subscriptions"("vendor_id", "endpoint");
CREATE INDEX "push_subscriptions_vendor_id_user_id_idx" ON "push_subscriptions"("vendor_id", "user_id");
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_vendor_id_fkey"
  FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What was delivered: recipient is a user id (email) or a push subscription id (push).
CREATE TABLE "notification_deliveries" (
    "vendor_id" UUID NOT NULL,
    "notification_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "delivered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("notification_id", "channel", "recipient"),
    CONSTRAINT "notification_deliveries_channel_check" CHECK ("channel" IN ('email', 'push'))
);
CREATE INDEX "notification_deliveries_vendor_id_idx" ON "notification_deliveries"("vendor_id");
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_vendor_id_fkey"
  FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_notification_id_fkey"
  FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "alert_settings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "alert_settings" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "alert_settings"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "push_subscriptions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "push_subscriptions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "push_subscriptions"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "notification_deliveries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notification_deliveries" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notification_deliveries"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);
