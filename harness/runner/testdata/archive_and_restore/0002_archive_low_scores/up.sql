CREATE TABLE people_archive AS SELECT * FROM people WHERE score < 20; DELETE FROM people WHERE score < 20;
