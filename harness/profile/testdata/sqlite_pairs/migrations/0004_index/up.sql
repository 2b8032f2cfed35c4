-- Known bad at size: SQLite builds the index under the database write lock (no safe form).
CREATE INDEX events_amount_idx ON events (amount);
