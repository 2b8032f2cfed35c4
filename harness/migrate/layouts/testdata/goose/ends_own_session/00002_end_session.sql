-- Ends its own connection: the server stays up, so this is the migration's
-- failure (a failed check, exit 1), not the machine's (exit 3).
-- +goose Up
SELECT pg_terminate_backend(pg_backend_pid());

-- +goose Down
SELECT 1;
