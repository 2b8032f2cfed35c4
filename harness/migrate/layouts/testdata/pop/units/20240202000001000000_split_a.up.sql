CREATE TABLE people_new (id integer PRIMARY KEY, name text NOT NULL, nick text);
INSERT INTO people_new (id, name) SELECT id, name FROM people;
