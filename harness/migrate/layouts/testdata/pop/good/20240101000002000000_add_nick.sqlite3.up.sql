ALTER TABLE people ADD COLUMN nick text;
