-- One change counter per vendor over all of its data, for the API's answer cache (issue 21).
--
-- A cached GET answer is keyed by the vendor's data version: any committed INSERT, UPDATE or
-- DELETE of the vendor's rows, by the API, the worker or an operator, changes it, so an answer is
-- never served over data that changed since it was computed, on any replica. Statement-level
-- triggers on every table with a vendor_id (and on vendors and users, which GET answers show)
-- bump it; no writer can forget to.
--
-- As demand_input_versions: each vendor's counter is split over 16 shard rows, the shard chosen by
-- the writing transaction's id, so concurrent writers of one business do not queue on one row
-- until commit, and a reader sums the shards (the sum changes with every commit, in any order).
--
-- As *_worker_status: the table belongs to the NOLOGIN role marketprep_monitor in the monitoring
-- schema. The app role has no privilege on it: the triggers' function and the reader are
-- SECURITY DEFINER functions of that role, so a bump works in every scope a write runs in (a
-- webhook's, a user's, a tenant's) and the app cannot set a counter. Counters are numbers only.

CREATE TABLE monitoring.vendor_data_versions (
  vendor_id uuid NOT NULL REFERENCES public.vendors (id) ON DELETE CASCADE,
  shard     smallint NOT NULL,
  version   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (vendor_id, shard)
);
ALTER TABLE monitoring.vendor_data_versions OWNER TO marketprep_monitor;

-- The users trigger finds a user's businesses (vendors already has a monitor policy).
GRANT SELECT ("user_id", "vendor_id") ON "memberships" TO marketprep_monitor;
CREATE POLICY monitor_data_versions ON "memberships" FOR SELECT TO marketprep_monitor USING (true);

-- Bumps each vendor in `ids`, once per transaction: a transaction's later statements commit
-- with its first, so one bump covers them (the check-in writes several tables). The vendors
-- bumped so far are a transaction-local setting, which a rollback to a savepoint undoes with the
-- bump itself. The join on vendors skips a vendor being deleted (its rows go by cascade); ordered,
-- so two transactions never take shard rows in opposite orders.
CREATE FUNCTION monitoring.bump_vendor_data_versions(ids uuid[])
  RETURNS void
  LANGUAGE plpgsql
  VOLATILE
  SECURITY DEFINER
  SET search_path = pg_catalog, monitoring
AS $$
DECLARE
  bumped text := coalesce(current_setting('marketprep.data_versions_bumped', true), '');
  todo uuid[];
BEGIN
  SELECT array_agg(DISTINCT u.id ORDER BY u.id) INTO todo
    FROM unnest(ids) u (id)
   WHERE u.id IS NOT NULL AND position(u.id::text IN bumped) = 0;
  IF todo IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO monitoring.vendor_data_versions AS v (vendor_id, shard, version)
  SELECT t.id, (txid_current() % 16)::smallint, 1
    FROM unnest(todo) t (id) JOIN public.vendors ON vendors.id = t.id
   ORDER BY t.id
  ON CONFLICT (vendor_id, shard) DO UPDATE SET version = v.version + 1;
  PERFORM set_config('marketprep.data_versions_bumped', bumped || array_to_string(todo, ',') || ',', true);
END
$$;

-- The trigger functions run as marketprep_monitor too (they read only the statement's transition
-- table `changed`, and memberships through the policy above).
CREATE FUNCTION monitoring.data_version_of_vendor_rows()
  RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, monitoring
AS $$
BEGIN
  PERFORM monitoring.bump_vendor_data_versions(ARRAY(SELECT DISTINCT vendor_id FROM changed));
  RETURN NULL;
END
$$;

CREATE FUNCTION monitoring.data_version_of_vendors()
  RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, monitoring
AS $$
BEGIN
  PERFORM monitoring.bump_vendor_data_versions(ARRAY(SELECT id FROM changed));
  RETURN NULL;
END
$$;

-- A user's name or email shows in their businesses' team lists.
CREATE FUNCTION monitoring.data_version_of_users()
  RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, monitoring
AS $$
BEGIN
  PERFORM monitoring.bump_vendor_data_versions(ARRAY(
    SELECT DISTINCT m.vendor_id FROM public.memberships m WHERE m.user_id IN (SELECT id FROM changed)));
  RETURN NULL;
END
$$;

-- The vendor's data version: the sum of its shards (0 before its first change).
CREATE FUNCTION monitoring.vendor_data_version(p_vendor_id uuid)
  RETURNS bigint
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, monitoring
AS $$
  SELECT coalesce(sum(v.version), 0)::bigint
    FROM monitoring.vendor_data_versions v
   WHERE v.vendor_id = p_vendor_id;
$$;

-- A user's data version: a hash of the data versions of every business they belong to (so it
-- changes with their memberships, which are the business's data, and those businesses' names),
-- of what their account export shows of their own row, and of their sign-in sessions. Only the
-- hash leaves: the app learns nothing of other users.
GRANT SELECT ("id", "email", "name", "email_verified_at") ON "users" TO marketprep_monitor;
GRANT SELECT ("id", "user_id", "active_vendor_id", "last_seen_at", "expires_at", "revoked_at")
  ON "sessions" TO marketprep_monitor;

CREATE FUNCTION monitoring.user_data_version(p_user_id uuid)
  RETURNS text
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, monitoring
AS $$
  SELECT md5(concat_ws('|',
    (SELECT string_agg(x.vendor_id::text || ':' || x.version::text, ',' ORDER BY x.vendor_id)
       FROM (SELECT m.vendor_id, coalesce(sum(v.version), 0) AS version
               FROM public.memberships m
               LEFT JOIN monitoring.vendor_data_versions v ON v.vendor_id = m.vendor_id
              WHERE m.user_id = p_user_id
              GROUP BY m.vendor_id) x),
    (SELECT concat_ws(':', u.email, u.name, u.email_verified_at)
       FROM public.users u WHERE u.id = p_user_id),
    (SELECT string_agg(concat_ws(':', s.id, s.active_vendor_id, s.last_seen_at, s.expires_at,
                                 s.revoked_at), ',' ORDER BY s.id)
       FROM public.sessions s WHERE s.user_id = p_user_id)));
$$;

ALTER FUNCTION monitoring.bump_vendor_data_versions(uuid[]) OWNER TO marketprep_monitor;
ALTER FUNCTION monitoring.data_version_of_vendor_rows() OWNER TO marketprep_monitor;
ALTER FUNCTION monitoring.data_version_of_vendors() OWNER TO marketprep_monitor;
ALTER FUNCTION monitoring.data_version_of_users() OWNER TO marketprep_monitor;
ALTER FUNCTION monitoring.vendor_data_version(uuid) OWNER TO marketprep_monitor;
ALTER FUNCTION monitoring.user_data_version(uuid) OWNER TO marketprep_monitor;
REVOKE ALL ON FUNCTION monitoring.bump_vendor_data_versions(uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION monitoring.data_version_of_vendor_rows() FROM PUBLIC;
REVOKE ALL ON FUNCTION monitoring.data_version_of_vendors() FROM PUBLIC;
REVOKE ALL ON FUNCTION monitoring.data_version_of_users() FROM PUBLIC;
REVOKE ALL ON FUNCTION monitoring.vendor_data_version(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION monitoring.user_data_version(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.vendor_data_version(uuid) TO marketprep_app;
GRANT EXECUTE ON FUNCTION monitoring.user_data_version(uuid) TO marketprep_app;

-- Three statement triggers per table (a trigger with a transition table has one event). Every
-- public table with a vendor_id but demand_input_versions (a counter itself); a test checks that
-- tables added later get them too (schema-consistency).
DO $$
DECLARE
  t text;
  ev text;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables tb
        ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.column_name = 'vendor_id'
       AND c.table_name <> 'demand_input_versions'
     ORDER BY c.table_name
  LOOP
    FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      EXECUTE format(
        'CREATE TRIGGER %I AFTER %s ON public.%I REFERENCING %s TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monitoring.data_version_of_vendor_rows()',
        t || '_data_version_' || ev, upper(ev), t, CASE ev WHEN 'delete' THEN 'OLD' ELSE 'NEW' END);
    END LOOP;
  END LOOP;
END
$$;

CREATE TRIGGER vendors_data_version_insert AFTER INSERT ON "vendors"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monitoring.data_version_of_vendors();
CREATE TRIGGER vendors_data_version_update AFTER UPDATE ON "vendors"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monitoring.data_version_of_vendors();
CREATE TRIGGER users_data_version_update AFTER UPDATE ON "users"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monitoring.data_version_of_users();
