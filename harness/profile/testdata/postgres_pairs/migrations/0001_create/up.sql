CREATE TABLE accounts (id integer PRIMARY KEY, name text);
CREATE TABLE events (id integer PRIMARY KEY, account_id integer, note varchar(50), amount integer, flag integer);
