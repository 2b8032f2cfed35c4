ALTER TABLE people RENAME TO people_old;
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO people (id, name) SELECT id, name FROM people_old;
DROP TABLE people_old;
