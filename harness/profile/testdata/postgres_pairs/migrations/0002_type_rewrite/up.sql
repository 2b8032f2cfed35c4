-- Known bad: integer to bigint rewrites events under ACCESS EXCLUSIVE.
ALTER TABLE events ALTER COLUMN amount TYPE bigint;
