-- Check-in submissions in batches: one statement (one implicit transaction, one commit) for every
-- submission an API process has waiting.
--
-- At ~700 check-ins a second on a 2-core machine the check-in write spent four fifths of its time
-- inside PostgreSQL waiting for its commit's WAL flush, and a third of the API's CPU in the socket
-- writes of its two round trips. The API now groups the submissions that arrive while its previous
-- batch is running (apps/api/src/lib/group-commit.ts) and sends them here as one JSON array: one
-- round trip, one commit and one WAL flush for the lot. Each element is applied by
-- tenant_submit_check_in exactly as a single submission is (its own tenant settings first, so
-- row-level security scopes every statement to that element's vendor; its own submission lock,
-- reentrant within the batch, so a second delivery of a submission in the same batch sees the
-- first one's lines and answers 'replayed'). The answer is a JSON array, one result per element, in
-- order. An error in any element, or a lock wait over 250 ms, rolls the whole batch back; the
-- caller then applies the elements one by one (packages/db/src/repositories/
-- check-in-writes.repository.ts), so one bad or blocked submission never fails or holds up another.
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
      "representation" boolean)
  LOOP
    results := results || tenant_submit_check_in(
      s."vendorId", s."userId", s."lockKey", s."marketId", s."date", s."dayId", s."opensAt",
      s."closesAt", s."submission", s."since", s."keys", s."productIds", s."brought", s."sold",
      s."leftOver", s."wasted", s."donated", s."soldOutAt", s."rating", s."notes",
      s."actorType", s."requestId", s."retrainJob", s."retrainPayload", s."retrainKey",
      s."representation");
  END LOOP;
  RETURN array_to_json(results);
END
$$;

GRANT EXECUTE ON FUNCTION tenant_submit_check_ins(json) TO marketprep_app;
