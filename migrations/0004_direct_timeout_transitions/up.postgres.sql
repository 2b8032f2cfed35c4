-- The switch the timeout job processor reads: with no row (before this
-- migration, or after its down) it creates a synthetic no_open/no_click event
-- and transitions through it; with mode direct_transition it transitions
-- directly with a 'Timeout: <type>' reason and schedules the follow-up email.
CREATE TABLE timeout_processing (
  id integer PRIMARY KEY CHECK (id = 1),
  mode text NOT NULL CHECK (mode IN ('synthetic_event', 'direct_transition'))
);
INSERT INTO timeout_processing (id, mode) VALUES (1, 'direct_transition');

-- The audit trail names where a transition came from. Transitions that a
-- synthetic event caused were timeouts all along; real events stay 'event'.
-- Only a JSON boolean true marks a synthetic event: the string "true" was
-- typed by a person.
ALTER TABLE campaign_transitions ADD COLUMN origin text NOT NULL DEFAULT 'event'
  CHECK (origin IN ('event', 'timeout'));
UPDATE campaign_transitions SET origin = 'timeout'
WHERE event_id IN (SELECT e.id FROM message_events e
                   WHERE jsonb_typeof(e.data -> 'synthetic') = 'boolean'
                     AND (e.data ->> 'synthetic')::boolean);
