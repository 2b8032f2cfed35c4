ALTER TABLE people ADD COLUMN active INTEGER DEFAULT 1; INSERT INTO people (id, name) VALUES (1, 'duplicate key');
