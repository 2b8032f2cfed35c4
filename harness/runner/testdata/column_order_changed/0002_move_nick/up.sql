CREATE TABLE nick_backup AS SELECT id, nick FROM people; ALTER TABLE people DROP COLUMN nick;
