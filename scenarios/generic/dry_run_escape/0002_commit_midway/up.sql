INSERT INTO people (id, name) VALUES (3, 'Barbara');
COMMIT;
BEGIN;
ALTER TABLE people ADD COLUMN nickname text;
COMMIT;
