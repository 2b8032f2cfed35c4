ALTER TABLE events ADD COLUMN extra integer;
