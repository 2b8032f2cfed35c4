CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE transfers (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
  amount INTEGER NOT NULL);
INSERT INTO accounts (id, balance) VALUES (1, 100), (2, 50);
INSERT INTO transfers (id, account_id, amount) VALUES (1, 1, 10), (2, 1, 5), (3, 2, 7);
