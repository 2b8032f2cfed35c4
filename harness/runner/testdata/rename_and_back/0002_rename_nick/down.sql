ALTER TABLE people RENAME COLUMN nickname TO nick;
