-- Known bad at size: SQLite rewrites every row of events to drop a column, under the write lock.
ALTER TABLE events DROP COLUMN extra;
