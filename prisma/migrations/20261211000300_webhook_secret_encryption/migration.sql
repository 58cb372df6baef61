-- Webhook endpoint signing secrets sealed at rest (issue 20), with the key ring of the Square
-- tokens (TOKEN_ENCRYPTION_KEYS, AES-256-GCM; packages/integrations TokenCipher): the sealed value
-- and the id of the key it was sealed with, so rotation can find what an old key sealed.
--
-- Rows written before this migration hold their secret in clear in "secret". SQL cannot seal them
-- (the key lives in the application's environment, never in the database), so the column stays,
-- nullable, for those rows only: the worker seals each one and clears "secret" (the daily
-- `reseal-webhook-secrets` job, and any delivery to it before that). New endpoints never write
-- it. A later migration drops the column once no row has it
-- (`SELECT count(*) FROM webhook_endpoints WHERE secret IS NOT NULL` answers 0).
ALTER TABLE "webhook_endpoints"
  ADD COLUMN "secret_encrypted" BYTEA,
  ADD COLUMN "encryption_key_id" TEXT,
  ALTER COLUMN "secret" DROP NOT NULL;

-- Exactly one form of the secret: sealed (with its key id) or, for an old row, in clear.
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_secret_check" CHECK (
  ("secret_encrypted" IS NOT NULL AND "encryption_key_id" IS NOT NULL AND "secret" IS NULL)
  OR ("secret_encrypted" IS NULL AND "encryption_key_id" IS NULL AND "secret" IS NOT NULL)
);
