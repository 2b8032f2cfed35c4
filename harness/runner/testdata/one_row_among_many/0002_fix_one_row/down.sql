UPDATE a5 SET v = 'y' WHERE id = 2;
