CREATE TABLE instances (id INTEGER PRIMARY KEY, domain TEXT NOT NULL);
CREATE TABLE sites (id INTEGER PRIMARY KEY, instance_id INTEGER NOT NULL REFERENCES instances (id),
  inbox_url TEXT);
INSERT INTO instances (id, domain) VALUES (1, 'example.com'), (2, 'example.org');
INSERT INTO sites (id, instance_id, inbox_url) VALUES
  (1, 1, 'https://example.com/inbox'), (2, 2, 'https://example.org/inbox');
