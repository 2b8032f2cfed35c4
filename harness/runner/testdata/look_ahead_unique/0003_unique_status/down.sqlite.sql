DROP INDEX tags_status_key;
