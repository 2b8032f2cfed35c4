-- migrate:up
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);

-- migrate:down
DROP TABLE people;
