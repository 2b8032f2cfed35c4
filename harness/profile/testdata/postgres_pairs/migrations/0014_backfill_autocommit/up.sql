-- Known bad outside a transaction too (golang-migrate, goose NO TRANSACTION,
-- dbmate transaction:false): one autocommit UPDATE of every row.
UPDATE events SET flag = 3;
