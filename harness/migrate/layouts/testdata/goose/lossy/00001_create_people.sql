-- +goose Up
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);

-- +goose Down
DROP TABLE people;
