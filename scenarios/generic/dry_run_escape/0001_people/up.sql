CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO people (id, name) VALUES (1, 'Ada'), (2, 'Grace');
