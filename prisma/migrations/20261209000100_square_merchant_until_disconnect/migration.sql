-- A Square merchant belongs to one business until that business disconnects (issue 16). The
-- unique index on (provider, external_account_id) also counted REVOKED connections, so a merchant
-- once disconnected could never be connected again, by its business or any other ("in-use").
-- Connected (any status but REVOKED) stays unique; revoked rows keep their merchant id for the
-- history. The index keeps its name, so a second business connecting a connected merchant is
-- still refused by it.
--
-- Built in one transaction with the drop, so there is no moment without the constraint (the table
-- holds one row per business and provider: small, so the short lock is harmless).
DROP INDEX "provider_connections_provider_external_account_id_key";

CREATE UNIQUE INDEX "provider_connections_provider_external_account_id_key"
  ON "provider_connections" ("provider", "external_account_id")
  WHERE "status" <> 'REVOKED';
