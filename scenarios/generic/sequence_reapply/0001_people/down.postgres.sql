DROP SEQUENCE people_ids;
DROP TABLE people;
