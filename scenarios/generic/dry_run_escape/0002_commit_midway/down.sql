ALTER TABLE people DROP COLUMN nickname;
DELETE FROM people WHERE id = 3;
