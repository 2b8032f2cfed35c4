INSERT INTO people SELECT * FROM people_archive; DROP TABLE people_archive;
