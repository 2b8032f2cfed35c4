-- Reads data as JSON: plain text there fails with "invalid input syntax for
-- type json", so the filler must have drawn JSON objects for it.
CREATE INDEX idx_audit_logs_client ON audit_logs ((data::jsonb ->> 'clientName'), (data::jsonb #>> '{location,city}'));
