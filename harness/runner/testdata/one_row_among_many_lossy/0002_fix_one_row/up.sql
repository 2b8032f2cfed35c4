UPDATE a5 SET v = 'fixed' WHERE id = 2;
