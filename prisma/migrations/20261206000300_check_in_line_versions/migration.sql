-- Check-in lines carry the version the form was loaded with, so two phones checking in the same
-- market day cannot overwrite each other's lines with stale values (issue 14): a line whose
-- saved copy changed since (or appeared, when the form had none) makes the submission answer
-- 'conflict' with those products, and nothing is written. A line sent without a version keeps
-- the old last-write-wins behaviour for API clients that do not read first.
--
-- tenant_submit_check_in gains p_expected (one text per line, see below); the batch function is
-- recreated to pass it along from its JSON ("expected").
DROP FUNCTION tenant_submit_check_ins(json);
DROP FUNCTION tenant_submit_check_in(
  uuid, uuid, bigint, uuid, date, uuid, timestamptz, timestamptz, text, timestamptz, text[],
  uuid[], numeric[], numeric[], numeric[], numeric[], numeric[], timestamptz[], smallint[],
  text[], text, text, text, jsonb, text, boolean);

-- Answers as before, plus:
--   'conflict'         with "conflicts": [{product_id, name, updated_at}] of the lines that moved on.
CREATE FUNCTION tenant_submit_check_in(
  p_vendor_id uuid, p_user_id uuid, p_lock_key bigint,
  p_market_id uuid, p_date date, p_day_id uuid, p_opens_at timestamptz, p_closes_at timestamptz,
  p_submission text, p_since timestamptz, p_keys text[],
  p_product_ids uuid[], p_brought numeric[], p_sold numeric[], p_left_over numeric[],
  p_wasted numeric[], p_donated numeric[], p_sold_out_at timestamptz[], p_rating smallint[],
  p_notes text[], p_actor_type text, p_request_id text,
  p_retrain_job text, p_retrain_payload jsonb, p_retrain_key text, p_representation boolean,
  p_expected text[])
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
  v_conflicts json;
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

  -- Lines sent with the version the client's form was loaded with (p_expected: '' = no saved
  -- line then, an ISO instant = that line's updated_at, NULL = not checked): under the market
  -- day's lock, so two checked submissions of one day cannot both pass, any line that moved on
  -- since is a conflict and nothing is written. Compared at the millisecond the API reports.
  IF EXISTS (SELECT 1 FROM unnest(p_expected) e WHERE e IS NOT NULL) THEN
    PERFORM pg_advisory_xact_lock(hashtext('check-in:' || p_market_id::text || ':' || p_date::text));
    SELECT json_agg(json_build_object('product_id', x.product_id, 'name', p.name,
                                      'updated_at', f.updated_at) ORDER BY x.n)
      INTO v_conflicts
      FROM unnest(p_product_ids, p_expected) WITH ORDINALITY AS x(product_id, expected, n)
      LEFT JOIN feedback f ON f.market_day_id = v_day AND f.product_id = x.product_id
      LEFT JOIN products p ON p.id = x.product_id
     WHERE x.expected IS NOT NULL
       AND CASE WHEN x.expected = '' THEN f.product_id IS NOT NULL
                ELSE f.product_id IS NULL
                  OR date_trunc('milliseconds', f.updated_at) <> x.expected::timestamptz END;
    IF v_conflicts IS NOT NULL THEN
      RETURN json_build_object('outcome', 'conflict', 'conflicts', v_conflicts);
    END IF;
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

GRANT EXECUTE ON FUNCTION tenant_submit_check_in(
  uuid, uuid, bigint, uuid, date, uuid, timestamptz, timestamptz, text, timestamptz, text[],
  uuid[], numeric[], numeric[], numeric[], numeric[], numeric[], timestamptz[], smallint[],
  text[], text, text, text, jsonb, text, boolean, text[]) TO marketprep_app;

CREATE FUNCTION tenant_submit_check_ins(p_batch json)
RETURNS json
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  s record;
  results json[] := '{}';
BEGIN
  -- A batch that waits for a row or submission lock held elsewhere (another API process's batch,
  -- a long transaction) gives up soon: the caller then applies its elements one by one, so only
  -- the submission that needs the lock waits for it, not everyone else's in the batch. This also
  -- breaks a deadlock between two processes' batches long before deadlock_timeout would.
  PERFORM set_config('lock_timeout', '250ms', true);
  -- json_to_recordset parses the batch once into typed columns (JSON arrays become SQL arrays);
  -- extracting each field with ->> would re-scan the JSON text for every field of every element.
  FOR s IN
    SELECT * FROM json_to_recordset(p_batch) AS b(
      "vendorId" uuid, "userId" uuid, "lockKey" bigint, "marketId" uuid, "date" date,
      "dayId" uuid, "opensAt" timestamptz, "closesAt" timestamptz, "submission" text,
      "since" timestamptz, "keys" text[], "productIds" uuid[], "brought" numeric[],
      "sold" numeric[], "leftOver" numeric[], "wasted" numeric[], "donated" numeric[],
      "soldOutAt" timestamptz[], "rating" smallint[], "notes" text[], "actorType" text,
      "requestId" text, "retrainJob" text, "retrainPayload" jsonb, "retrainKey" text,
      "representation" boolean, "expected" text[])
  LOOP
    results := results || tenant_submit_check_in(
      s."vendorId", s."userId", s."lockKey", s."marketId", s."date", s."dayId", s."opensAt",
      s."closesAt", s."submission", s."since", s."keys", s."productIds", s."brought", s."sold",
      s."leftOver", s."wasted", s."donated", s."soldOutAt", s."rating", s."notes",
      s."actorType", s."requestId", s."retrainJob", s."retrainPayload", s."retrainKey",
      s."representation", s."expected");
  END LOOP;
  RETURN array_to_json(results);
END
$$;

GRANT EXECUTE ON FUNCTION tenant_submit_check_ins(json) TO marketprep_app;
