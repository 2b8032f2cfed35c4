-- SQLite cannot add a column with a constraint in place: rebuild the table,
-- as teams do with foreign keys off (the Go drivers' default).
CREATE TABLE parents_new (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');
INSERT INTO parents_new (id) SELECT id FROM parents;
DROP TABLE parents;
ALTER TABLE parents_new RENAME TO parents;
