ALTER TABLE events DROP CONSTRAINT events_account_fk2;
