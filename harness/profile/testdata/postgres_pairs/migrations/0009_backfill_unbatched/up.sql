-- Known bad: one UPDATE of every row in one transaction.
UPDATE events SET flag = 1;
