ALTER TABLE events ADD COLUMN other integer;
