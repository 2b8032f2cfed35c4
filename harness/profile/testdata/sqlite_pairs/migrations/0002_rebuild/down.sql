CREATE TABLE events_old (id integer PRIMARY KEY, note text, amount integer, flag integer);
INSERT INTO events_old (id, note, amount, flag) SELECT id, note, amount, flag FROM events;
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;
