-- Safe: a longer varchar needs no rewrite.
ALTER TABLE events ALTER COLUMN note TYPE varchar(200);
