INSERT INTO people VALUES (5, 'added on sqlite', NULL, 0);
