-- Reached and profiled after the data-only failure, on tables filled again.
CREATE INDEX idx_audit_logs_note ON audit_logs (note);
