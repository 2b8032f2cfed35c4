CREATE INDEX CONCURRENTLY people_name_idx ON people (name);
