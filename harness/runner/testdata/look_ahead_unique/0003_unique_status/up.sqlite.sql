CREATE UNIQUE INDEX tags_status_key ON tags (status);
