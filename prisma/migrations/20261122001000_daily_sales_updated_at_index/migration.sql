-- Freshness of a vendor's sales (prep-list cache key) without scanning every daily row.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "daily_sales_vendor_id_updated_at_idx" ON "daily_sales"("vendor_id", "updated_at");
