-- Known bad at size: the table rebuilt under the write lock, then an index built.
CREATE TABLE events_new (id integer PRIMARY KEY, amount bigint, note text);
INSERT INTO events_new SELECT id, amount, note FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_amount_idx ON events (amount);
