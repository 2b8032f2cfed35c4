ALTER TABLE events ALTER COLUMN amount TYPE integer;
