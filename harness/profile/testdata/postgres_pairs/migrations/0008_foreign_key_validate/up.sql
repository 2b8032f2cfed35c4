-- Safe, part 2: VALIDATE scans under SHARE UPDATE EXCLUSIVE.
ALTER TABLE events VALIDATE CONSTRAINT events_account_fk2;
