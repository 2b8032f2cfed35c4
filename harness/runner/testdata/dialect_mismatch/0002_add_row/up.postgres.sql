INSERT INTO people VALUES (5, 'added on postgres', NULL, 0);
