-- Data freshness for the operators' health check (/health/detailed), without any RLS bypass for
-- the app.
--
-- The app role cannot read across tenants (row-level security is forced on every tenant table), yet
-- operators need "how old is the newest sales / weather data, platform-wide". A NOLOGIN role,
-- `marketprep_monitor`, may SELECT two tables through a FOR SELECT policy of its own, and owns one
-- SECURITY DEFINER function in its own schema that returns only two timestamps (no vendor data).
-- The app role may execute that function and nothing else of this role.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'marketprep_monitor') THEN
    CREATE ROLE marketprep_monitor NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;

-- The migrating role must be a member to hand the schema and function over to it.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'marketprep_monitor', 'MEMBER') THEN
    EXECUTE format('GRANT marketprep_monitor TO %I', current_user);
  END IF;
END
$$;

CREATE SCHEMA monitoring AUTHORIZATION marketprep_monitor;
GRANT USAGE ON SCHEMA monitoring TO marketprep_app;

GRANT USAGE ON SCHEMA public TO marketprep_monitor;
GRANT SELECT ON "daily_sales", "weather" TO marketprep_monitor;
CREATE POLICY monitor_freshness ON "daily_sales" FOR SELECT TO marketprep_monitor USING (true);
CREATE POLICY monitor_freshness ON "weather" FOR SELECT TO marketprep_monitor USING (true);

CREATE FUNCTION monitoring.data_freshness()
  RETURNS TABLE (newest_sales_at timestamptz, newest_weather_at timestamptz)
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
  SELECT (SELECT max(updated_at) FROM public.daily_sales),
         (SELECT max(fetched_at) FROM public.weather);
$$;

ALTER FUNCTION monitoring.data_freshness() OWNER TO marketprep_monitor;
REVOKE ALL ON FUNCTION monitoring.data_freshness() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.data_freshness() TO marketprep_app;
