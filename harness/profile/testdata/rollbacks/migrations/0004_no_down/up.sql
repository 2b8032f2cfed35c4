ALTER TABLE events ADD COLUMN third integer;
