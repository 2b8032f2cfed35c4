CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, nick TEXT, score BIGINT DEFAULT 0);
INSERT INTO people VALUES (1, '  Ada Lovelace  ', NULL, 10);
INSERT INTO people VALUES (2, 'GRACE hopper', '', 20);
INSERT INTO people VALUES (3, 'Édith Żółć 🎉', 'ez', 30);
INSERT INTO people VALUES (4, 'tab	inside', NULL, -9223372036854775808);
