-- Safe: CONCURRENTLY holds SHARE UPDATE EXCLUSIVE, which lets writes through.
CREATE INDEX CONCURRENTLY events_note_idx ON events (note);
