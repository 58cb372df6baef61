-- The worker's schedules (hourly weather refresh, daily events refresh, nightly retrain, prep
-- lists before each market day) fan out per vendor, so they must know which vendors have markets,
-- platform-wide. The app role cannot read across tenants (row-level security is forced on
-- `markets`), and it must not get a bypass.
--
-- As in *_health_freshness: the NOLOGIN role `marketprep_monitor` may SELECT `markets` through a
-- FOR SELECT policy of its own, and owns one SECURITY DEFINER function in the `monitoring` schema
-- that returns vendor ids only (no names, no market data). The app role may execute it; everything
-- else per vendor still happens under withTenant.

GRANT SELECT ON "markets" TO marketprep_monitor;
CREATE POLICY monitor_active_vendors ON "markets" FOR SELECT TO marketprep_monitor USING (true);

CREATE FUNCTION monitoring.active_vendor_ids()
  RETURNS TABLE (vendor_id uuid)
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
  SELECT DISTINCT m.vendor_id
    FROM public.markets m
   WHERE m.active AND m.archived_at IS NULL
   ORDER BY m.vendor_id;
$$;

ALTER FUNCTION monitoring.active_vendor_ids() OWNER TO marketprep_monitor;
REVOKE ALL ON FUNCTION monitoring.active_vendor_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.active_vendor_ids() TO marketprep_app;
