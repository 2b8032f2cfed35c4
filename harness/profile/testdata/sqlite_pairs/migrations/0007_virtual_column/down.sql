ALTER TABLE events DROP COLUMN note_length;
