-- Restores the wrong value: one row of one table among eight differs.
UPDATE a5 SET v = 'Y' WHERE id = 2;
