-- Data rights (issue 18): export progress and single-use downloads, and the two audit-log
-- operations the app role must not be able to do on its own.
--
-- Exports: `progress` (0-100) while the worker builds the archive, `downloaded_at` set by the one
-- download the link allows (an UPDATE ... WHERE downloaded_at IS NULL decides who wins).
ALTER TABLE "data_export_requests" ADD COLUMN "progress" SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE "data_export_requests" ADD COLUMN "downloaded_at" TIMESTAMPTZ(3);

-- The audit log stays append-only for `marketprep_app` (no UPDATE/DELETE grant). Two operations
-- need more, and each is one SECURITY DEFINER function owned by the NOLOGIN role
-- `marketprep_data_rights`, which reaches audit_log through policies of its own:
--   data_rights.pseudonymize_audit_log(vendor, key): erasure. Actor and subject ids become a
--     stable keyed hash (SHA-256 of a key the caller passes from its configuration and the id,
--     shaped as a uuid for actor_user_id); ip, request id and metadata (free text) are dropped. Only the
--     vendor of the calling transaction (app.vendor_id) can be pseudonymized.
--   data_rights.purge_audit_log(before, batch): retention. Deletes at most `batch` rows older
--     than `before`, platform-wide, and returns how many (the caller loops, short transactions).
--   data_rights.vendor_ids(): every vendor id (no names), for the retention sweep that then works
--     per vendor under withTenant.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'marketprep_data_rights') THEN
    CREATE ROLE marketprep_data_rights NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;

DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'marketprep_data_rights', 'MEMBER') THEN
    EXECUTE format('GRANT marketprep_data_rights TO %I', current_user);
  END IF;
END
$$;

CREATE SCHEMA data_rights AUTHORIZATION marketprep_data_rights;
GRANT USAGE ON SCHEMA data_rights TO marketprep_app;
GRANT USAGE ON SCHEMA public TO marketprep_data_rights;

GRANT SELECT, UPDATE, DELETE ON "audit_log" TO marketprep_data_rights;
CREATE POLICY data_rights_audit ON "audit_log" FOR ALL TO marketprep_data_rights
  USING (true) WITH CHECK (true);
GRANT SELECT ON "vendors" TO marketprep_data_rights;
CREATE POLICY data_rights_vendor_ids ON "vendors" FOR SELECT TO marketprep_data_rights USING (true);

CREATE FUNCTION data_rights.pseudonymize_audit_log(p_vendor_id uuid, p_key text)
  RETURNS integer
  LANGUAGE plpgsql
  VOLATILE
  SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
DECLARE
  v_count integer;
BEGIN
  IF p_vendor_id IS NULL
     OR p_vendor_id IS DISTINCT FROM nullif(current_setting('app.vendor_id', true), '')::uuid THEN
    RAISE EXCEPTION 'pseudonymize_audit_log: only the vendor of this transaction';
  END IF;
  IF p_key IS NULL OR length(p_key) < 16 THEN
    RAISE EXCEPTION 'pseudonymize_audit_log: key too short';
  END IF;
  UPDATE public.audit_log a
     SET actor_user_id = CASE WHEN a.actor_user_id IS NULL THEN NULL ELSE
           encode(substring(sha256(convert_to(p_key || ':' || a.actor_user_id::text, 'UTF8'))
                            FROM 1 FOR 16), 'hex')::uuid
         END,
         target_id = CASE WHEN a.target_id IS NULL THEN NULL ELSE
           'h:' || encode(sha256(convert_to(p_key || ':' || a.target_id, 'UTF8')), 'hex')
         END,
         ip = NULL,
         request_id = NULL,
         -- Also the marker that makes a second run change nothing (ids are hashed once).
         metadata = '{"pseudonymized":true}'::jsonb
   WHERE a.vendor_id = p_vendor_id
     AND a.metadata IS DISTINCT FROM '{"pseudonymized":true}'::jsonb;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END;
$$;

CREATE FUNCTION data_rights.purge_audit_log(p_before timestamptz, p_batch integer)
  RETURNS integer
  LANGUAGE plpgsql
  VOLATILE
  SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
DECLARE
  v_count integer;
BEGIN
  DELETE FROM public.audit_log
   WHERE id IN (SELECT id FROM public.audit_log
                 WHERE created_at < p_before
                 ORDER BY id
                 LIMIT greatest(least(p_batch, 10000), 1));
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END;
$$;

CREATE FUNCTION data_rights.vendor_ids()
  RETURNS TABLE (vendor_id uuid)
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
  SELECT v.id FROM public.vendors v ORDER BY v.id;
$$;

ALTER FUNCTION data_rights.pseudonymize_audit_log(uuid, text) OWNER TO marketprep_data_rights;
ALTER FUNCTION data_rights.purge_audit_log(timestamptz, integer) OWNER TO marketprep_data_rights;
ALTER FUNCTION data_rights.vendor_ids() OWNER TO marketprep_data_rights;
REVOKE ALL ON FUNCTION data_rights.pseudonymize_audit_log(uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION data_rights.purge_audit_log(timestamptz, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION data_rights.vendor_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION data_rights.pseudonymize_audit_log(uuid, text) TO marketprep_app;
GRANT EXECUTE ON FUNCTION data_rights.purge_audit_log(timestamptz, integer) TO marketprep_app;
GRANT EXECUTE ON FUNCTION data_rights.vendor_ids() TO marketprep_app;

-- The audit trail screen filters by actor and date within a vendor.
CREATE INDEX "audit_log_vendor_id_actor_user_id_created_at_idx"
  ON "audit_log"("vendor_id", "actor_user_id", "created_at");
