-- Freshness of a vendor's check-ins (prep-list cache key) without scanning every feedback row.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "feedback_vendor_id_updated_at_idx" ON "feedback"("vendor_id", "updated_at");
