-- migrate:up
ALTER TABLE people ADD COLUMN nick text;

-- migrate:down
-- nothing to undo
