DROP INDEX events_amount_idx;
CREATE TABLE events_old (id integer PRIMARY KEY, amount integer, note text);
INSERT INTO events_old SELECT id, amount, note FROM events;
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;
