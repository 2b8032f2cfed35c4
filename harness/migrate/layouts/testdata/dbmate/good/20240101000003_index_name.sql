-- migrate:up transaction:false
CREATE INDEX people_name_idx ON people (name);

-- migrate:down
DROP INDEX people_name_idx;
