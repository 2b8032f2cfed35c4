-- Known bad: a validated foreign key scans events under SHARE ROW EXCLUSIVE.
ALTER TABLE events ADD CONSTRAINT events_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
