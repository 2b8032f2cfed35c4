-- migrate:up
ALTER TABLE people ADD COLUMN nick text;

-- migrate:down
ALTER TABLE people DROP COLUMN nick;
