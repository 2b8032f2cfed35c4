-- +goose Up
ALTER TABLE people ADD COLUMN nick text;

-- +goose Down
-- nothing to undo
