-- Fails only because of the generated rows (a NULL note), applies without
-- them: applies_with_data, and the chain goes on.
CREATE TABLE notes (id TEXT NOT NULL PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO notes (id, note) SELECT id, note FROM audit_logs;
