DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
