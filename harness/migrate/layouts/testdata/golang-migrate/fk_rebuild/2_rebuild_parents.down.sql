CREATE TABLE parents_old (id integer PRIMARY KEY);
INSERT INTO parents_old (id) SELECT id FROM parents;
DROP TABLE parents;
ALTER TABLE parents_old RENAME TO parents;
