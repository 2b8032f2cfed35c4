CREATE TABLE "parents" (id integer PRIMARY KEY);
CREATE TABLE children (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES parents (id));
