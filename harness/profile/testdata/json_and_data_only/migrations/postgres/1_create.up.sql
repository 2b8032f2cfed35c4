-- JSON documents in a TEXT column, read through ::jsonb.
CREATE TABLE audit_logs (id TEXT NOT NULL PRIMARY KEY, event TEXT NOT NULL, data TEXT NOT NULL, note TEXT);
