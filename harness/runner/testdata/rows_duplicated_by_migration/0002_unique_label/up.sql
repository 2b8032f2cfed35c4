INSERT INTO tags (id, label)
  SELECT id + 1000000, label FROM tags
  WHERE id = (SELECT min(id) FROM tags WHERE label IS NOT NULL);
CREATE UNIQUE INDEX tags_label_key ON tags (label);
