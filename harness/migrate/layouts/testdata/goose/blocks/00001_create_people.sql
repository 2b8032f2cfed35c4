-- +goose Up
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);
-- +goose StatementBegin
CREATE TABLE audit (id integer PRIMARY KEY, note text DEFAULT 'a;b');
-- +goose StatementEnd

-- +goose Down
DROP TABLE people;
DROP TABLE audit;
