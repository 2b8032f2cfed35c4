-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX people_name_idx ON people (name);

-- +goose Down
DROP INDEX people_name_idx;
