CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL);
CREATE SEQUENCE people_ids;
