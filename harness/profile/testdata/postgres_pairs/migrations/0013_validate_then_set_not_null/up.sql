-- Safe, part 2: VALIDATE lets writes through; SET NOT NULL then skips its scan.
ALTER TABLE events VALIDATE CONSTRAINT events_note_present;
ALTER TABLE events ALTER COLUMN note SET NOT NULL;
