-- migrate:down
DROP TABLE people;
