-- See up.postgres.sql.
CREATE TABLE timeout_processing (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  mode TEXT NOT NULL CHECK (mode IN ('synthetic_event', 'direct_transition'))
);
INSERT INTO timeout_processing (id, mode) VALUES (1, 'direct_transition');

ALTER TABLE campaign_transitions ADD COLUMN origin TEXT NOT NULL DEFAULT 'event'
  CHECK (origin IN ('event', 'timeout'));
UPDATE campaign_transitions SET origin = 'timeout'
WHERE event_id IN (SELECT e.id FROM message_events e
                   WHERE json_type(e.data, '$.synthetic') = 'true');
