-- +goose Up
CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);

-- +goose Down
DROP TABLE notes;
