-- Safe, part 1: NOT VALID checks only new rows.
ALTER TABLE events ADD CONSTRAINT events_account_fk2 FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
