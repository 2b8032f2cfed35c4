-- KNOWN BAD: the down "touches" every note, rewriting the created_at of rows
-- that were there before the migration. created_at has a volatile default,
-- but these rows are not rows the migration inserted: rollback_identical
-- must still fail.
ALTER TABLE notes DROP COLUMN title;
UPDATE notes SET created_at = now();
