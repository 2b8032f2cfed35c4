CREATE UNIQUE INDEX tags_status_key ON tags (status);
ALTER TABLE tags ALTER COLUMN code SET NOT NULL;
ALTER TABLE tags ADD CONSTRAINT tags_code_upper CHECK (code = upper(code));
