-- A new market starts from what the vendor knows (issue 13, item 5): the owner's size of a market
-- as "about `size_scale` x `size_reference_market_id`" ("about half of Riverside"). The planner
-- passes it to the demand engine, which scales a market with no history of its own from the
-- reference market's typical day (without it: from the vendor's smallest market).
--
-- Both columns are set or both are NULL; a market is never its own reference. The reference is
-- one of the same vendor's markets through the composite (vendor_id, id) key, as every tenant FK.
--
-- ON DELETE NO ACTION, not SET NULL: SET NULL would leave `size_scale` without a reference, which
-- the pair check refuses. Markets are archived, never deleted one by one; archiving a reference
-- clears the size of the markets that name it in the same transaction (MarketsService). The only
-- hard delete is a vendor's erasure, which deletes all its markets in one statement, and NO ACTION
-- is checked at the end of that statement, when the referencing rows are gone too.
--
-- Nullable columns without a default rewrite nothing (catalog changes only); every existing row is
-- NULL, so the checks and the foreign key validate without reading references.
ALTER TABLE "markets"
  ADD COLUMN "size_reference_market_id" UUID,
  ADD COLUMN "size_scale" NUMERIC(4, 2);

ALTER TABLE "markets" ADD CONSTRAINT "markets_size_pair_check" CHECK (
  ("size_reference_market_id" IS NULL) = ("size_scale" IS NULL)
);

ALTER TABLE "markets" ADD CONSTRAINT "markets_size_scale_check" CHECK (
  "size_scale" IS NULL OR ("size_scale" >= 0.1 AND "size_scale" <= 5)
);

ALTER TABLE "markets" ADD CONSTRAINT "markets_size_not_self_check" CHECK (
  "size_reference_market_id" IS NULL OR "size_reference_market_id" <> "id"
);

ALTER TABLE "markets" ADD CONSTRAINT "markets_vendor_id_size_reference_market_id_fkey"
  FOREIGN KEY ("vendor_id", "size_reference_market_id") REFERENCES "markets"("vendor_id", "id")
  ON DELETE NO ACTION ON UPDATE NO ACTION;

-- The foreign key's lookups from the referenced side (archiving a reference, erasing a vendor).
CREATE INDEX "markets_size_reference_idx" ON "markets" ("vendor_id", "size_reference_market_id")
  WHERE "size_reference_market_id" IS NOT NULL;
