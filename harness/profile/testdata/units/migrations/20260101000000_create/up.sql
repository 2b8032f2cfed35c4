CREATE TABLE events (id integer PRIMARY KEY, note text, flag integer);
