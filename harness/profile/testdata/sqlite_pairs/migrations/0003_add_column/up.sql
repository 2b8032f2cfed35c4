-- Safe: ADD COLUMN rebuilds nothing.
ALTER TABLE events ADD COLUMN extra integer;
