-- Known bad: SQLite cannot change a column's type in place; the table is rebuilt under the write lock.
CREATE TABLE events_new (id integer PRIMARY KEY, note text, amount bigint NOT NULL DEFAULT 0, flag integer);
INSERT INTO events_new (id, note, amount, flag) SELECT id, note, coalesce(amount, 0), flag FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
