-- KNOWN BAD: opens a transaction and never commits it. goose (and psql)
-- would end the session by rolling it back, so the column never lands, and
-- until then the session holds an ACCESS EXCLUSIVE lock on notes.
-- +goose NO TRANSACTION
-- +goose Up
BEGIN;
ALTER TABLE notes ADD COLUMN tags text;

-- +goose Down
ALTER TABLE notes DROP COLUMN tags;
