DROP INDEX events_amount_idx;
ALTER TABLE events ALTER COLUMN amount TYPE integer;
