CREATE UNIQUE INDEX tags_status_once ON tags (status);
DROP INDEX tags_status_once;
ALTER TABLE tags DROP COLUMN note;
