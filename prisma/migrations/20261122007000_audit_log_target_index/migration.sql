-- Replay detection of check-in submissions looks up the audit entry by its target
-- (clientSubmissionId); without this index it scanned the vendor's last 30 days of audit rows.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "audit_log_vendor_id_target_id_idx" ON "audit_log"("vendor_id", "target_id");
