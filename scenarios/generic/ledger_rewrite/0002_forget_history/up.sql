-- KNOWN BAD: "cleans up" the ledger, so the next run applies 0001 again.
-- idempotent_rerun must fail.
ALTER TABLE people ADD COLUMN nickname text;
DELETE FROM schema_migrations WHERE name = 'people';
