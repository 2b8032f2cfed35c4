-- Known bad: SET NOT NULL scans events under ACCESS EXCLUSIVE.
ALTER TABLE events ALTER COLUMN flag SET NOT NULL;
