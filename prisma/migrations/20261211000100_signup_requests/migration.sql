-- Sign-up by emailed link (issue 16): `POST /v1/auth/signup` stores the request here and answers
-- the same "check your email" for every address, so the answer never tells a registered address
-- from a new one. The mail job (account-email) either mints the confirmation link (only its
-- SHA-256 is stored; one live link per request, replaced on each send) or, when the address
-- already has an account, mails a notice and deletes the request. Confirming creates the user.
-- A platform table (no vendor yet, no RLS), like users and password_reset_tokens.
CREATE TABLE "signup_requests" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "vendor_name" TEXT,
    "token_hash" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signup_requests_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "signup_requests_token_hash_key" ON "signup_requests"("token_hash");
CREATE INDEX "signup_requests_expires_at_idx" ON "signup_requests"("expires_at");
