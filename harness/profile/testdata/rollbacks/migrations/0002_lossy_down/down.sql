-- Known bad: the down deletes rows the up never touched.
ALTER TABLE events DROP COLUMN extra;
DELETE FROM events WHERE amount IS NULL OR amount % 2 = 0;
