-- a goose file that forgot its annotation
ALTER TABLE people ADD COLUMN nick text;
