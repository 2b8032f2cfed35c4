DROP INDEX idx_audit_logs_note;
