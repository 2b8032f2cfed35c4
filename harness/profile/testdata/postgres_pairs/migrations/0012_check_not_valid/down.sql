ALTER TABLE events DROP CONSTRAINT events_note_present;
