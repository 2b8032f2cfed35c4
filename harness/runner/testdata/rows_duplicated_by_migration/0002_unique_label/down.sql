DROP INDEX tags_label_key;
DELETE FROM tags WHERE id > 1000000;
