-- As pocket-id declares it: JSON documents in a BLOB column.
CREATE TABLE audit_logs (id TEXT NOT NULL PRIMARY KEY, event TEXT NOT NULL, data BLOB NOT NULL, note TEXT);
