-- Safe outside a transaction: NOT VALID scans nothing; VALIDATE scans under
-- SHARE UPDATE EXCLUSIVE, which lets writes through.
ALTER TABLE events ADD CONSTRAINT events_amount_known CHECK (amount IS NULL OR amount = amount) NOT VALID;
DO $$
BEGIN
  ALTER TABLE events VALIDATE CONSTRAINT events_amount_known;
  PERFORM pg_sleep(1.1);
END $$;
