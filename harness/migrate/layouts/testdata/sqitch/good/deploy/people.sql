-- Deploy people:people
BEGIN;
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);
COMMIT;
