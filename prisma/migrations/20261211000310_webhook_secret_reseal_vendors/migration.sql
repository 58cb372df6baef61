-- Key rotation of webhook endpoint secrets (issue 20), as for the Square tokens: the worker's
-- daily `reseal-webhook-secrets` job re-seals every secret that is not sealed with the current key
-- (TOKEN_ENCRYPTION_KEY_ID), including the rows still in clear from before 20261211000300 (their
-- encryption_key_id is NULL). It must find those businesses platform-wide, and a business with
-- endpoints may have no market (so monitoring.active_vendor_ids() does not list it).
--
-- As in *_worker_active_vendors: the NOLOGIN role `marketprep_monitor` may read two columns of
-- `webhook_endpoints` (vendor id and key id: never a secret, sealed or not) through a FOR SELECT
-- policy of its own, and owns one SECURITY DEFINER function that returns vendor ids only. The
-- re-sealing itself runs per vendor under withTenant.
GRANT SELECT ("vendor_id", "encryption_key_id") ON "webhook_endpoints" TO marketprep_monitor;
CREATE POLICY monitor_webhook_secret_keys ON "webhook_endpoints" FOR SELECT TO marketprep_monitor
  USING (true);

CREATE FUNCTION monitoring.webhook_secret_reseal_vendor_ids(p_current_key_id text)
  RETURNS TABLE (vendor_id uuid)
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
  SELECT DISTINCT e.vendor_id
    FROM public.webhook_endpoints e
   WHERE e.encryption_key_id IS DISTINCT FROM p_current_key_id
   ORDER BY e.vendor_id;
$$;

ALTER FUNCTION monitoring.webhook_secret_reseal_vendor_ids(text) OWNER TO marketprep_monitor;
REVOKE ALL ON FUNCTION monitoring.webhook_secret_reseal_vendor_ids(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.webhook_secret_reseal_vendor_ids(text) TO marketprep_app;
