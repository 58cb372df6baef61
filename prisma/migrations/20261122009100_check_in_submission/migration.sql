-- The check-in submission (PUT /v1/markets/:marketId/check-ins/:date) in TWO round trips.
--
-- The write ran as BEGIN + tenant settings + submission lock, a read, a write, COMMIT: four round
-- trips, and on a loaded 2-core machine the socket work of each round trip (in Node and in the
-- PostgreSQL backend) was a larger share of a check-in's CPU than the SQL itself. Now:
--
--   1. tenant_check_in_context: the market, its weekly schedule and its market day on the date.
--      The API checks the request against them (the date has happened in the market's time zone,
--      the market holds on that weekday, the day is not cancelled, sold-out times fall on it).
--   2. tenant_submit_check_in: everything that must happen under the submission's lock, in one
--      statement: the replay check, unknown products, creating a market day not stored yet, the
--      audit entry, the retrain request, the lines, and the form as it was before the write.
--
-- Both scope the tenant themselves (the same transaction-local settings as withTenant, so
-- row-level security applies to every statement: SECURITY INVOKER, nothing bypassed) and are
-- called as single statements outside a transaction: the settings and the locks last exactly as
-- long as that statement's implicit transaction. Outcomes other than 'written' write nothing.
-- packages/db/src/repositories/check-in-writes.repository.ts calls them and maps the answers.

CREATE FUNCTION tenant_check_in_context(p_vendor_id uuid, p_market_id uuid, p_date date)
RETURNS TABLE (
  id uuid, name text, timezone text, booth_fee_minor integer, schedule json,
  day_id uuid, day_status text, day_opens_at timestamptz, day_closes_at timestamptz
)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('app.vendor_id', p_vendor_id::text, true),
          set_config('app.user_id', '', true),
          set_config('app.token_hash', '', true);
  RETURN QUERY
  SELECT m.id, m.name, m.timezone, m.booth_fee_minor,
         (SELECT json_agg(json_build_object('weekday', s.weekday,
                                            'opensAt', to_char(s.opens_at, 'HH24:MI'),
                                            'closesAt', to_char(s.closes_at, 'HH24:MI')))
            FROM market_schedules s WHERE s.market_id = m.id),
         d.id, d.status::text, d.opens_at, d.closes_at
    FROM markets m
    LEFT JOIN market_days d ON d.market_id = m.id AND d.date = p_date
   WHERE m.id = p_market_id;
END
$$;

-- A stored market day's check-in data as one JSON object (numbers as text, to keep numeric
-- precision): its stored lines, its products (active ones, p_also and any already checked in, by
-- name), the lines of its newest prep list and its sales. STABLE: it reads with the calling
-- statement's snapshot.
CREATE FUNCTION check_in_day_data(p_day_id uuid, p_market_id uuid, p_date date, p_also uuid[])
RETURNS json
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  result json;
BEGIN
  SELECT json_build_object(
    'feedback', (SELECT coalesce(json_agg(f), '[]') FROM (
       SELECT product_id, brought::text, sold::text, left_over::text, wasted::text,
              donated::text, sold_out_at, rating, notes, client_submission_id, updated_at
         FROM feedback WHERE market_day_id = p_day_id) f),
    'products', (SELECT coalesce(json_agg(p ORDER BY p.name ASC), '[]') FROM (
       SELECT id, name, unit, active, price_minor, unit_cost_minor, salvage_value_minor
         FROM products
        WHERE active OR id = ANY(p_also)
           OR id IN (SELECT product_id FROM feedback WHERE market_day_id = p_day_id)) p),
    'prep', (SELECT coalesce(json_agg(l), '[]') FROM (
       SELECT l.product_id, l.q10::text, l.q50::text, l.q90::text,
              coalesce(l.override_quantity, l.quantity) AS quantity,
              l.expected_revenue_minor::text
         FROM recommendation_lines l
        WHERE l.recommendation_id = (
              SELECT r.id FROM recommendations r WHERE r.market_day_id = p_day_id
               ORDER BY (r.status = 'CURRENT') DESC, r.generated_at DESC, r.id ASC LIMIT 1)) l),
    'sales', (SELECT coalesce(json_agg(s), '[]') FROM (
       SELECT product_id, quantity::text, revenue_minor::text FROM daily_sales
        WHERE market_id = p_market_id AND date = p_date) s))
    INTO result;
  RETURN result;
END
$$;

-- Answers {"outcome": ...}:
--   'other_day'        the submission was already applied to another market day;
--   'unknown_products' with "unknown": the product ids the vendor does not have;
--   'cancelled'        the market day (created meanwhile) is cancelled;
--   'replayed'         with "day" and "data": the submission was applied before (the stored form);
--   'written'          with "day", "data" (the form before the write) and "written" (the lines).
-- Without p_representation (the client asked for `Prefer: return=minimal`) "data" is null and
-- "written" lists only the product ids and update times: the form is not read at all.
-- Deliveries of one submission serialize on p_lock_key; as this function is VOLATILE each of its
-- statements takes a new snapshot, so the replay check after the lock sees an earlier delivery
-- that committed while this one waited.
CREATE FUNCTION tenant_submit_check_in(
  p_vendor_id uuid, p_user_id uuid, p_lock_key bigint,
  p_market_id uuid, p_date date, p_day_id uuid, p_opens_at timestamptz, p_closes_at timestamptz,
  p_submission text, p_since timestamptz, p_keys text[],
  p_product_ids uuid[], p_brought numeric[], p_sold numeric[], p_left_over numeric[],
  p_wasted numeric[], p_donated numeric[], p_sold_out_at timestamptz[], p_rating smallint[],
  p_notes text[], p_actor_type text, p_request_id text,
  p_retrain_job text, p_retrain_payload jsonb, p_retrain_key text, p_representation boolean)
RETURNS json
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_applied text;
  v_day uuid := p_day_id;
  v_status text;
  v_opens_at timestamptz := p_opens_at;
  v_closes_at timestamptz := p_closes_at;
  v_unknown text[];
  v_before json;
  v_written json;
BEGIN
  -- One statement each for the settings and the lock, and for the checks: every statement of a
  -- function pays its own executor start-up.
  PERFORM set_config('app.vendor_id', p_vendor_id::text, true),
          set_config('app.user_id', '', true),
          set_config('app.token_hash', '', true),
          pg_advisory_xact_lock(p_lock_key);

  -- Applied before: the market day of a stored line with one of the per-line keys, else that of
  -- the submission's audit entry ('' when the entry names none); null when never applied. And
  -- which of the products the vendor does not have (only reported for a new submission).
  SELECT coalesce(
           (SELECT f.market_day_id::text FROM feedback f
             WHERE f.vendor_id = p_vendor_id AND f.client_submission_id = ANY(p_keys) LIMIT 1),
           (SELECT coalesce(CASE WHEN jsonb_typeof(a.metadata->'marketDayId') = 'string'
                                 THEN a.metadata->>'marketDayId' END, '')
              FROM audit_log a
             WHERE a.vendor_id = p_vendor_id AND a.target_id = p_submission
               AND a.target_type = 'check_in' AND a.action = 'check_in.submitted'
               AND a.created_at >= p_since
             LIMIT 1)),
         (SELECT array_agg(x.id::text ORDER BY x.n)
            FROM unnest(p_product_ids) WITH ORDINALITY AS x(id, n)
           WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = x.id))
    INTO v_applied, v_unknown;

  IF v_day IS NULL THEN
    SELECT d.id, d.status::text, d.opens_at, d.closes_at
      INTO v_day, v_status, v_opens_at, v_closes_at
      FROM market_days d WHERE d.market_id = p_market_id AND d.date = p_date;
    v_opens_at := coalesce(v_opens_at, p_opens_at);
    v_closes_at := coalesce(v_closes_at, p_closes_at);
  END IF;
  IF v_applied IS NOT NULL AND v_applied <> '' AND v_applied IS DISTINCT FROM v_day::text THEN
    RETURN json_build_object('outcome', 'other_day');
  END IF;

  IF v_applied IS NULL AND v_unknown IS NOT NULL THEN
    RETURN json_build_object('outcome', 'unknown_products', 'unknown', v_unknown);
  END IF;

  IF v_day IS NULL THEN
    -- Created under a market-date lock: concurrent first check-ins of the day wait here, and the
    -- later ones find the row the first one created.
    PERFORM pg_advisory_xact_lock(hashtext('check-in:' || p_market_id::text || ':' || p_date::text));
    INSERT INTO market_days (vendor_id, market_id, date, opens_at, closes_at, updated_at)
    VALUES (p_vendor_id, p_market_id, p_date, p_opens_at, p_closes_at, now())
    ON CONFLICT (market_id, date) DO NOTHING;
    SELECT d.id, d.status::text, d.opens_at, d.closes_at
      INTO v_day, v_status, v_opens_at, v_closes_at
      FROM market_days d WHERE d.market_id = p_market_id AND d.date = p_date;
  END IF;
  IF v_status = 'CANCELLED' THEN
    RETURN json_build_object('outcome', 'cancelled');
  END IF;

  IF v_applied IS NOT NULL THEN
    RETURN json_build_object(
      'outcome', 'replayed',
      'day', json_build_object('id', v_day, 'opens_at', v_opens_at, 'closes_at', v_closes_at),
      'data', CASE WHEN p_representation
                   THEN check_in_day_data(v_day, p_market_id, p_date, '{}'::uuid[]) END);
  END IF;

  -- The form as it was, then the writes: the lines go in product-id order, so two submissions
  -- of the same day lock rows in the same order (no deadlock); row locks last until commit.
  IF p_representation THEN
    v_before := check_in_day_data(v_day, p_market_id, p_date, p_product_ids);
  END IF;
  WITH audit AS (
    INSERT INTO audit_log (vendor_id, actor_user_id, actor_type, action, target_type, target_id,
                           request_id, metadata)
    VALUES (p_vendor_id, p_user_id, p_actor_type, 'check_in.submitted', 'check_in', p_submission,
            p_request_id,
            jsonb_build_object('marketDayId', v_day, 'marketId', p_market_id,
                               'date', to_char(p_date, 'YYYY-MM-DD'),
                               'products', to_jsonb(p_product_ids::text[])))),
  retrain AS (
    INSERT INTO outbox (job_name, payload, dedupe_key, request_id)
    VALUES (p_retrain_job, p_retrain_payload, p_retrain_key, p_request_id)
    ON CONFLICT (dedupe_key) WHERE status = 'PENDING' AND dedupe_key IS NOT NULL DO NOTHING),
  written AS (
    INSERT INTO feedback (vendor_id, market_day_id, product_id, brought, sold, left_over, wasted,
                          donated, sold_out_at, rating, notes, client_submission_id,
                          submitted_by_user_id, updated_at)
    SELECT p_vendor_id, v_day, l.product_id, l.brought, l.sold, l.left_over, l.wasted, l.donated,
           l.sold_out_at, l.rating, l.notes, l.client_submission_id, p_user_id, now()
      FROM unnest(p_product_ids, p_brought, p_sold, p_left_over, p_wasted, p_donated,
                  p_sold_out_at, p_rating, p_notes, p_keys)
        AS l(product_id, brought, sold, left_over, wasted, donated, sold_out_at, rating, notes,
             client_submission_id)
     ORDER BY l.product_id
    ON CONFLICT (market_day_id, product_id) DO UPDATE SET
      brought = EXCLUDED.brought, sold = EXCLUDED.sold, left_over = EXCLUDED.left_over,
      wasted = EXCLUDED.wasted, donated = EXCLUDED.donated, sold_out_at = EXCLUDED.sold_out_at,
      rating = EXCLUDED.rating, notes = EXCLUDED.notes,
      client_submission_id = EXCLUDED.client_submission_id,
      submitted_by_user_id = EXCLUDED.submitted_by_user_id, updated_at = EXCLUDED.updated_at
    RETURNING product_id, brought::text, sold::text, left_over::text, wasted::text,
              donated::text, sold_out_at, rating, notes, client_submission_id, updated_at)
  SELECT CASE WHEN p_representation THEN coalesce(json_agg(w), '[]')
              ELSE coalesce(json_agg(json_build_object('product_id', w.product_id,
                                                       'updated_at', w.updated_at)), '[]') END
    INTO v_written FROM written w;

  RETURN json_build_object(
    'outcome', 'written',
    'day', json_build_object('id', v_day, 'opens_at', v_opens_at, 'closes_at', v_closes_at),
    'data', v_before,
    'written', v_written);
END
$$;

GRANT EXECUTE ON FUNCTION tenant_check_in_context(uuid, uuid, date) TO marketprep_app;
GRANT EXECUTE ON FUNCTION check_in_day_data(uuid, uuid, date, uuid[]) TO marketprep_app;
GRANT EXECUTE ON FUNCTION tenant_submit_check_in(
  uuid, uuid, bigint, uuid, date, uuid, timestamptz, timestamptz, text, timestamptz, text[],
  uuid[], numeric[], numeric[], numeric[], numeric[], numeric[], timestamptz[], smallint[],
  text[], text, text, text, jsonb, text, boolean) TO marketprep_app;
