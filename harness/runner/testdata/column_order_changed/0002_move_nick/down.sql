ALTER TABLE people ADD COLUMN nick TEXT; UPDATE people SET nick = (SELECT b.nick FROM nick_backup b WHERE b.id = people.id); DROP TABLE nick_backup;
