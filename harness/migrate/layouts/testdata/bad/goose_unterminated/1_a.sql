-- +goose Up
-- +goose StatementBegin
CREATE TABLE a (id integer);

-- +goose Down
DROP TABLE a;
