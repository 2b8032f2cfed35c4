-- Known bad at size: a rewrite under ACCESS EXCLUSIVE, then an index build under SHARE.
ALTER TABLE events ALTER COLUMN amount TYPE bigint;
CREATE INDEX events_amount_idx ON events (amount);
