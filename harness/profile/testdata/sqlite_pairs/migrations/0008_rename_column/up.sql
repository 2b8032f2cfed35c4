-- Safe: renaming a column edits the schema only; no row is rewritten.
ALTER TABLE events RENAME COLUMN note TO body;
