-- Webhooks out (issue 20): endpoints a business registers and one delivery row per (event,
-- endpoint). A delivery is written in the same transaction as the effect it reports, together with
-- an outbox row `deliver-webhook`; each retry is a later outbox row (available_at = the backoff).
--
-- `secret` is the endpoint's signing secret (whsec_...), shown to the owner once at creation; the
-- worker needs it in clear to sign, so it is kept here under the tenant policy (never in a DTO).
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "events" TEXT[] NOT NULL,
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_endpoints_vendor_id_idx" ON "webhook_endpoints"("vendor_id");
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_vendor_id_fkey"
  FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vendor_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "succeeded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed'))
);
-- One delivery per event and endpoint: an emission repeated in a retried transaction adds nothing.
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_id_event_id_key" ON "webhook_deliveries"("endpoint_id", "event_id");
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");
CREATE INDEX "webhook_deliveries_vendor_id_idx" ON "webhook_deliveries"("vendor_id");
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_vendor_id_fkey"
  FOREIGN KEY ("vendor_id") REFERENCES "vendors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey"
  FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "webhook_endpoints" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webhook_endpoints" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "webhook_endpoints"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

ALTER TABLE "webhook_deliveries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webhook_deliveries" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "webhook_deliveries"
  USING (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid)
  WITH CHECK (vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid);

-- One way to emit an event, in the transaction of its effect: webhook_emit() writes a delivery per
-- enabled endpoint of the vendor subscribed to the type, and the outbox row of its first attempt.
-- The API and worker call it through emitWebhookEvent (packages/db); the triggers below call it
-- for the effects that are written in SQL or from several places. SECURITY INVOKER: row-level
-- security applies, so it only ever sees the endpoints of the transaction's vendor.
CREATE FUNCTION webhook_emit(p_vendor_id uuid, p_type text, p_data jsonb, p_request_id text,
                             p_now timestamptz DEFAULT now())
  RETURNS uuid
  LANGUAGE plpgsql
  VOLATILE
  SET search_path = pg_catalog, public
AS $$
DECLARE
  v_event uuid;
  v_endpoint uuid;
  v_delivery uuid;
BEGIN
  FOR v_endpoint IN
    SELECT id FROM webhook_endpoints
     WHERE vendor_id = p_vendor_id AND enabled AND p_type = ANY (events)
     ORDER BY id
  LOOP
    IF v_event IS NULL THEN v_event := gen_random_uuid(); END IF;
    INSERT INTO webhook_deliveries (vendor_id, endpoint_id, event_id, event_type, payload,
                                    next_attempt_at, created_at)
    VALUES (p_vendor_id, v_endpoint, v_event, p_type,
            jsonb_build_object(
              'id', v_event,
              'type', p_type,
              'createdAt', to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'vendorId', p_vendor_id,
              'data', coalesce(p_data, '{}'::jsonb)),
            p_now, p_now)
    RETURNING id INTO v_delivery;
    INSERT INTO outbox (job_name, payload, request_id)
    VALUES ('deliver-webhook',
            jsonb_build_object('vendorId', p_vendor_id, 'deliveryId', v_delivery, 'attempt', 1),
            p_request_id);
  END LOOP;
  RETURN v_event;
END;
$$;

-- check_in.submitted: every written submission (single, batched or whole-form) records one
-- 'check_in.submitted' audit entry inside tenant_submit_check_in; a replay records none.
CREATE FUNCTION webhook_on_check_in_audit() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM webhook_emit(NEW.vendor_id, 'check_in.submitted',
    jsonb_build_object('submissionId', NEW.target_id) || coalesce(NEW.metadata, '{}'::jsonb),
    NEW.request_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER webhook_check_in_submitted AFTER INSERT ON "audit_log"
  FOR EACH ROW WHEN (NEW.action = 'check_in.submitted')
  EXECUTE FUNCTION webhook_on_check_in_audit();

-- alert.created: an alert notification stored (a deduplicated one is not inserted, so not sent).
CREATE FUNCTION webhook_on_alert() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM webhook_emit(NEW.vendor_id, 'alert.created',
    jsonb_build_object('notificationId', NEW.id, 'kind', NEW.kind, 'title', NEW.title,
                       'body', NEW.body, 'details', coalesce(NEW.data, '{}'::jsonb)),
    NULL);
  RETURN NULL;
END;
$$;
CREATE TRIGGER webhook_alert_created AFTER INSERT ON "notifications"
  FOR EACH ROW
  WHEN (NEW.kind LIKE 'weather.%' OR NEW.kind LIKE 'event.%' OR NEW.kind LIKE 'outlook.%')
  EXECUTE FUNCTION webhook_on_alert();

-- sync.failed: a provider connection turning to ERROR or REFRESH_FAILED.
CREATE FUNCTION webhook_on_sync_failed() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM webhook_emit(NEW.vendor_id, 'sync.failed',
    jsonb_build_object('connectionId', NEW.id, 'provider', NEW.provider::text,
                       'status', NEW.status::text, 'error', NEW.last_error),
    NULL);
  RETURN NULL;
END;
$$;
CREATE TRIGGER webhook_sync_failed AFTER UPDATE OF status ON "provider_connections"
  FOR EACH ROW
  WHEN (NEW.status IN ('ERROR', 'REFRESH_FAILED') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION webhook_on_sync_failed();

-- model.retrained: a model version becoming the active one.
CREATE FUNCTION webhook_on_model_active() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM webhook_emit(NEW.vendor_id, 'model.retrained',
    jsonb_build_object('modelVersionId', NEW.id, 'engineVersion', NEW.engine_version,
                       'trainedThrough', NEW.trained_through,
                       'observationCount', NEW.observation_count),
    NULL);
  RETURN NULL;
END;
$$;
CREATE TRIGGER webhook_model_retrained_insert AFTER INSERT ON "model_versions"
  FOR EACH ROW WHEN (NEW.status = 'ACTIVE')
  EXECUTE FUNCTION webhook_on_model_active();
CREATE TRIGGER webhook_model_retrained_update AFTER UPDATE OF status ON "model_versions"
  FOR EACH ROW WHEN (NEW.status = 'ACTIVE' AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION webhook_on_model_active();

-- prep_list.updated: a new prep list generated for a market day (an unchanged regeneration is
-- skipped by its inputs hash and inserts nothing).
CREATE FUNCTION webhook_on_prep_list() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM webhook_emit(NEW.vendor_id, 'prep_list.updated',
    jsonb_build_object('prepListId', NEW.id, 'marketId', NEW.market_id,
                       'marketDayId', NEW.market_day_id,
                       'date', (SELECT to_char(d.date, 'YYYY-MM-DD') FROM market_days d
                                 WHERE d.id = NEW.market_day_id),
                       'trigger', NEW.trigger),
    NULL);
  RETURN NULL;
END;
$$;
CREATE TRIGGER webhook_prep_list_updated AFTER INSERT ON "recommendations"
  FOR EACH ROW EXECUTE FUNCTION webhook_on_prep_list();
