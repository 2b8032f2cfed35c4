-- Known bad outside a transaction: a validated CHECK scans events under
-- ACCESS EXCLUSIVE (the sleep holds the lock long enough to be sampled and
-- keeps the statement past the statistics flush).
DO $$
BEGIN
  ALTER TABLE events ADD CONSTRAINT events_amount_checked CHECK (amount IS NULL OR amount = amount);
  PERFORM pg_sleep(1.1);
END $$;
