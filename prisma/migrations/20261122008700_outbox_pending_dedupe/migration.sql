-- At most one PENDING outbox row per dedupe key, enforced by the database.
--
-- Until now an advisory lock plus a re-check kept a second PENDING row with the same key out (three
-- round trips per enqueue). With this index an enqueue is one statement, `INSERT ... ON CONFLICT
-- (dedupe_key) WHERE status = 'PENDING' DO NOTHING`, which the check-in write uses inside its
-- single write statement. Rows without a key (NULL) are never deduplicated.

-- Should an older deployment hold duplicates, keep the oldest PENDING row of each key.
DELETE FROM outbox a
 USING outbox b
 WHERE a.status = 'PENDING' AND b.status = 'PENDING'
   AND a.dedupe_key = b.dedupe_key
   AND (a.created_at, a.id) > (b.created_at, b.id);

CREATE UNIQUE INDEX "outbox_pending_dedupe_key_key" ON "outbox"("dedupe_key")
  WHERE status = 'PENDING' AND dedupe_key IS NOT NULL;
