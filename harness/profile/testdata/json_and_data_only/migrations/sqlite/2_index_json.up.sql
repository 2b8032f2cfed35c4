-- Reads data as JSON: plain text there fails with "malformed JSON", so the
-- filler must have drawn JSON objects for it when it filled audit_logs.
CREATE INDEX idx_audit_logs_client ON audit_logs (json_extract(data, '$.clientName'), data ->> '$.location.city');
