-- Safe: a VIRTUAL generated column is stored in no row; adding and dropping it rewrites none.
ALTER TABLE events ADD COLUMN note_length integer GENERATED ALWAYS AS (length(note)) VIRTUAL;
