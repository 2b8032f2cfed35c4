-- Correct: runs outside a transaction, each statement committing on its own.
-- +goose NO TRANSACTION
-- +goose Up
ALTER TABLE notes ADD COLUMN tags text;

-- +goose Down
ALTER TABLE notes DROP COLUMN tags;
