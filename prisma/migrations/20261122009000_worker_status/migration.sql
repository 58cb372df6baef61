-- Worker status for the operators' health check (/health/detailed), in PostgreSQL so it reaches
-- the API with or without Redis (the embedded default runs no Redis).
--
-- Each worker process keeps one row: its circuit breaker states and the Square sync lag per
-- ACTIVE connection id (no vendor data: provider names, connection ids and numbers). As in
-- *_health_freshness, the table belongs to the NOLOGIN role `marketprep_monitor` in the
-- `monitoring` schema; the app role gets no privilege on it, only EXECUTE on two SECURITY DEFINER
-- functions: one upserts a worker's row, one lists the rows.

CREATE TABLE monitoring.worker_status (
  worker_id   text PRIMARY KEY CHECK (length(worker_id) BETWEEN 1 AND 200),
  reported_at timestamptz NOT NULL,
  -- A report is a few hundred bytes; the bound keeps a bug from filling the table.
  status      jsonb NOT NULL CHECK (pg_column_size(status) <= 65536)
);
ALTER TABLE monitoring.worker_status OWNER TO marketprep_monitor;

-- Upserts the worker's row; rows not refreshed for a day (workers long gone: every restart
-- reports under a new id) are removed on the way.
CREATE FUNCTION monitoring.report_worker_status(
  p_worker_id text,
  p_reported_at timestamptz,
  p_status jsonb
)
  RETURNS void
  LANGUAGE sql
  VOLATILE
  SECURITY DEFINER
  SET search_path = pg_catalog, monitoring
AS $$
  INSERT INTO monitoring.worker_status (worker_id, reported_at, status)
  VALUES (p_worker_id, p_reported_at, p_status)
  ON CONFLICT (worker_id)
  DO UPDATE SET reported_at = EXCLUDED.reported_at, status = EXCLUDED.status;
  DELETE FROM monitoring.worker_status WHERE reported_at < p_reported_at - interval '1 day';
$$;

-- The newest reports first (a handful of rows: one per worker process of the last day).
CREATE FUNCTION monitoring.worker_statuses()
  RETURNS TABLE (worker_id text, reported_at timestamptz, status jsonb)
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, monitoring
AS $$
  SELECT w.worker_id, w.reported_at, w.status
    FROM monitoring.worker_status w
   ORDER BY w.reported_at DESC
   LIMIT 100;
$$;

ALTER FUNCTION monitoring.report_worker_status(text, timestamptz, jsonb) OWNER TO marketprep_monitor;
ALTER FUNCTION monitoring.worker_statuses() OWNER TO marketprep_monitor;
REVOKE ALL ON FUNCTION monitoring.report_worker_status(text, timestamptz, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION monitoring.worker_statuses() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.report_worker_status(text, timestamptz, jsonb) TO marketprep_app;
GRANT EXECUTE ON FUNCTION monitoring.worker_statuses() TO marketprep_app;
