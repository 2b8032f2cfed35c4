-- +goose Up
ALTER TABLE people ADD COLUMN nick text;

-- +goose Down
ALTER TABLE people DROP COLUMN nick;
