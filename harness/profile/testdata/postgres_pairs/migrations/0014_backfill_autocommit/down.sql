-- Known bad: a DO block's UPDATEs are one transaction. The sleep keeps the
-- statement past the backend's one-second statistics flush, which zeroes the
-- per-transaction counters before anything can read them (pocket-id's
-- normalize, 22 s).
DO $$
BEGIN
  UPDATE events SET flag = 4;
  UPDATE events SET flag = 5 WHERE id % 2 = 0;
  PERFORM pg_sleep(1.1);
END $$;
